package dev.bristle.web.common;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Bean Validation's verdict on a request as problems a user reads: "epochs must be 1 to 10000". */
public final class Violations {

    private Violations() {
    }

    public static List<String> problems(ConstraintViolationException exception) {
        return problems(exception.getConstraintViolations());
    }

    public static List<String> problems(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> field(v.getPropertyPath()) + " " + v.getMessage())
                .sorted(Comparator.naturalOrder()).toList();
    }

    /** The request field a violation is about ("attacks[3]"), without the method and parameter names before it. */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = "request";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY) {
                if (!field.isEmpty()) field.append('.');
                field.append(node.getName());
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? parameter : field.toString();
    }
}
