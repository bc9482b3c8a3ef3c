package dev.bristle.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * A form field as typed (trimmed; missing counts as empty) matches {@link #regexp()}. The message may quote the field
 * as {@code {value}}: a short excerpt ({@link dev.bristle.text.Excerpts}), never the whole of a long input, and never
 * evaluated as an expression.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Matches.Validator.class)
public @interface Matches {

    String regexp();

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Matches, String> {

        private Pattern pattern;

        @Override
        public void initialize(Matches annotation) {
            pattern = Pattern.compile(annotation.regexp());
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String typed = value == null ? "" : value.trim();
            if (pattern.matcher(typed).matches()) return true;
            Excerpt.quote(context, typed);
            return false;
        }
    }
}
