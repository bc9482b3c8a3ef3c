package dev.bristle.validation;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DatasetKind;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The name of a data set Bristle knows ({@link DatasetKind#fromName}). */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownDataset.Validator.class)
public @interface KnownDataset {

    String message() default "unknown dataset '{value}'; known: {known}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<KnownDataset, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            try {
                DatasetKind.fromName(value);
                return true;
            } catch (InvalidInputException e) {
                Excerpt.quote(context, value == null ? "" : value.trim());
                context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("known",
                        Arrays.stream(DatasetKind.values()).map(DatasetKind::displayName)
                                .collect(Collectors.joining(", ")));
                return false;
            }
        }
    }
}
