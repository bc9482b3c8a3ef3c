package dev.bristle.web;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The state-changing routes the application's resources declare ("POST /jobs/{id}/cancel"), read from the compiled
 * classes, so a test that must cover each of them notices a new one.
 */
public final class StateChangingRoutes {

    private static final List<Class<? extends Annotation>> METHODS = List.of(POST.class, PUT.class, DELETE.class,
            PATCH.class);

    private StateChangingRoutes() {
    }

    public static SortedSet<String> declared() {
        java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
        SortedSet<String> routes = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.');
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        StateChangingRoutes.class.getClassLoader());
                Path base = type.getAnnotation(Path.class);
                if (base == null) continue;
                for (Method method : type.getDeclaredMethods()) {
                    for (Class<? extends Annotation> verb : METHODS) {
                        if (!method.isAnnotationPresent(verb)) continue;
                        Path path = method.getAnnotation(Path.class);
                        routes.add(verb.getSimpleName() + " " + join(base.value(), path == null ? "" : path.value()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return routes;
    }

    /** Whether a route named "VERB /path" changes state. */
    public static boolean changesState(String route) {
        return METHODS.stream().anyMatch(verb -> route.startsWith(verb.getSimpleName() + " "));
    }

    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
