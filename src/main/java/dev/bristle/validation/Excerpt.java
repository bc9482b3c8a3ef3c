package dev.bristle.validation;

import dev.bristle.text.Excerpts;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {value}} of this package's messages: an excerpt of the input, a message parameter with Hibernate
 * Validator's special characters escaped. A parameter's value is put into the message before its expressions are
 * evaluated, so unescaped input such as {@code ${7*7}} would be evaluated as an expression (and could be made to
 * produce megabytes).
 */
final class Excerpt {

    /** The characters that start or end a message's parameters and expressions, and the escape itself. */
    private static final Pattern SPECIAL = Pattern.compile("[\\\\{}$]");

    private Excerpt() {
    }

    static void quote(ConstraintValidatorContext context, String value) {
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("value",
                literal(Excerpts.of(value)));
    }

    /** {@code text} as literal message text: Hibernate Validator turns each escape back into the character. */
    static String literal(String text) {
        return SPECIAL.matcher(text).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    }
}
