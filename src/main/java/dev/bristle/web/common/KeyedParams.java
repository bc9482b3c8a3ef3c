package dev.bristle.web.common;

import dev.bristle.keys.Keyed;
import dev.bristle.text.Excerpts;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Query and path parameters of Bristle's keyed enums ({@link Keyed}): read by their key, whatever its case; left out
 * or blank, they take their {@code @DefaultValue} (none: null). An unknown key is a 400 that names the parameter and
 * its keys (in a path, a 404: there is no such page), quoting the value as a short excerpt, never whole.
 */
@Provider
public class KeyedParams implements ParamConverterProvider {

    @Override
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (!rawType.isEnum() || !Keyed.class.isAssignableFrom(rawType)) return null;
        return new KeyConverter<>(rawType, annotations);
    }

    /** One parameter's converter: its name, where it sits and its default are read once, from its annotations. */
    private static final class KeyConverter<T> implements ParamConverter<T> {

        private final Class<T> type;
        private final String name;
        private final boolean inPath;
        private final T fallback;

        KeyConverter(Class<T> type, Annotation[] annotations) {
            this.type = type;
            String named = null;
            String defaultKey = null;
            boolean path = false;
            for (Annotation annotation : annotations) {
                if (annotation instanceof QueryParam query) named = query.value();
                if (annotation instanceof RestQuery query) named = query.value();
                if (annotation instanceof PathParam pathParam) named = pathParam.value();
                if (annotation instanceof RestPath pathParam) named = pathParam.value();
                path |= annotation instanceof PathParam || annotation instanceof RestPath;
                if (annotation instanceof DefaultValue value) defaultKey = value.value();
            }
            this.name = named == null || named.isBlank() ? type.getSimpleName() : named;
            this.inPath = path;
            this.fallback = defaultKey == null ? null : find(defaultKey);
            if (defaultKey != null && fallback == null) {
                throw new IllegalStateException("@DefaultValue(\"" + defaultKey + "\") is no key of " + type);
            }
        }

        @Override
        public T fromString(String value) {
            if (value == null) throw new IllegalArgumentException("no value for " + name);
            if (value.isBlank()) return fallback;
            T found = find(value.trim());
            if (found != null) return found;
            if (inPath) {
                throw WebError.notFound("Unknown " + name + " '" + Excerpts.of(value) + "' in the address: known are "
                        + String.join(", ", keys()) + ".");
            }
            List<String> uses = keys().stream().map(key -> name + "=" + key).toList();
            throw WebError.badRequest("Unknown " + name + " '" + Excerpts.of(value) + "': use "
                    + String.join(", ", uses.subList(0, uses.size() - 1)) + " or " + uses.get(uses.size() - 1) + ".");
        }

        @Override
        public String toString(T value) {
            return ((Keyed) value).key();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private T find(String key) {
            return (T) Keyed.fromKey((Class) type, key).orElse(null);
        }

        /** The keys, the default's first. */
        private List<String> keys() {
            List<String> keys = new ArrayList<>();
            if (fallback != null) keys.add(((Keyed) fallback).key());
            Arrays.stream(type.getEnumConstants()).map(constant -> ((Keyed) constant).key())
                    .filter(key -> !keys.contains(key)).forEach(keys::add);
            return keys;
        }
    }
}
