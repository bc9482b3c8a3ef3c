package dev.bristle.validation;

import dev.bristle.text.Excerpts;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** The {@code {value}} of this package's messages: an excerpt of the input, a parameter (never an expression). */
final class Excerpt {

    private Excerpt() {
    }

    static void quote(ConstraintValidatorContext context, String value) {
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("value", Excerpts.of(value));
    }
}
