package dev.bristle.web.common;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Collection;

/**
 * A JSON body that cannot become the request type, as one problem naming the field and what it should hold. Jackson's
 * own messages quote the input and name Java types, so they are never shown.
 */
final class JsonProblems {

    private JsonProblems() {
    }

    static String describe(JsonProcessingException error) {
        if (error instanceof UnrecognizedPropertyException unknown) {
            return "unknown field " + field(unknown);
        }
        if (error instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return field(mismatch) + " should be " + expected(mismatch.getTargetType());
        }
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && mapping.getCause() instanceof InputCoercionException) {
            return field(mapping) + " is out of range";
        }
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return field(mapping) + " has a value of the wrong kind";
        }
        JsonLocation at = error.getLocation();
        return "the body is not the JSON object expected" + (at == null || at.getLineNr() < 0 ? ""
                : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    private static String field(JsonMappingException error) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : error.getPath()) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) field.append('.');
                field.append(dev.bristle.text.Excerpts.of(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "the body" : field.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) return "of another kind";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
        return "an object";
    }
}
