package dev.bristle.web.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A request path as the route it reaches, for limits that must hold however the path is spelled: the router takes
 * {@code /login/}, {@code /login;x=1}, {@code //login}, {@code /%6cogin} and {@code /x/../login} all to the sign-in.
 * Spelled more leniently than the router reads it (any percent-escapes, any case), never less: a spelling the router
 * does not take to a limited route only counts against a limit it could not have used.
 */
final class RoutePaths {

    /** Percent-escapes decoded at most this often: enough for any double encoding a proxy might undo. */
    private static final int DECODINGS = 3;

    private RoutePaths() {
    }

    /** The route of a path: lower case, decoded, a backslash as a slash, without matrix parameters, empty or dot segments, or a last slash. */
    static String route(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded(path).toLowerCase(Locale.ROOT).split("[/\\\\]")) {
            int matrix = segment.indexOf(';');
            String name = matrix < 0 ? segment : segment.substring(0, matrix);
            if (name.equals("..")) {
                segments.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.addLast(name);
            }
        }
        return "/" + String.join("/", segments);
    }

    private static String decoded(String path) {
        String decoded = path;
        for (int i = 0; i < DECODINGS && decoded.indexOf('%') >= 0; i++) {
            try {
                // '+' is a plus in a path, not a space as in a form.
                decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return decoded;
            }
        }
        return decoded;
    }
}
