package dev.bristle.validation;

import dev.bristle.text.PlainText;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name or short text without control characters or direction marks ({@link PlainText}); missing is valid (other
 * constraints require a value).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD,
        ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainName.Validator.class)
public @interface PlainName {

    String message() default PlainText.PROBLEM;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainName, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return !PlainText.hasHiddenCharacters(value);
        }
    }
}
