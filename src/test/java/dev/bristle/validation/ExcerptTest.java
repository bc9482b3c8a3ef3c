package dev.bristle.validation;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The messages of this package's constraints quote what was typed as text, through Hibernate Validator's real message
 * interpolation: expressions, parameters and escapes in the input come back as typed, never evaluated.
 */
class ExcerptTest {

    private static ValidatorFactory factory;
    private static Validator validator;

    record Form(@KnownDataset String dataset,
                @Matches(regexp = "[a-z]+", message = "'{value}' is not a name") String method,
                @WebAddress(max = 100) String paperUrl) {
    }

    @BeforeAll
    static void validator() {
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void inputIsQuotedLiterallyNeverEvaluated() {
        for (String typed : List.of("${7*7}", "#{7*7}", "{7*7}", "{known}", "{value}", "\\${7*7}", "\\{max}",
                "a\\b", "$", "\\", "${formatter.format('%099d', 7)}", "%s%n")) {
            Set<ConstraintViolation<Form>> violations = validator.validate(new Form(typed, typed, typed));
            assertEquals(3, violations.size(), typed);
            for (ConstraintViolation<Form> violation : violations) {
                String message = violation.getMessage();
                assertTrue(message.startsWith("unknown dataset '" + typed + "'; known: ")
                                || message.equals("'" + typed + "' is not a name")
                                || message.equals("'" + typed + "' is not an http(s) address of at most 100 characters"),
                        typed + " -> " + message);
            }
        }
    }

    @Test
    void aLongInputIsQuotedAsAShortExcerpt() {
        String typed = "${'" + "a".repeat(500) + "'}";
        String message = validator.validate(new Form("CIFAR-10", typed, null)).iterator().next().getMessage();
        assertEquals("'${'" + "a".repeat(37) + "... (505 characters)' is not a name", message);
    }
}
