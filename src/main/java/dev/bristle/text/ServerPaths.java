package dev.bristle.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages the app shows that came from code written for a local user (the compute core, the JDK): an absolute file
 * path in them ("/srv/bristle/data/fashion-mnist/train-images-idx3-ubyte") becomes the file's name
 * ("train-images-idx3-ubyte"), so an answer names files and never where the server keeps them.
 */
public final class ServerPaths {

    /** An absolute path: not part of a URL or a relative path (no word character, ':', '/', '.' or '~' before it). */
    private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w:/.~-])(?:/[\\w.@+=,-]+)+/?");

    private ServerPaths() {
    }

    /** {@code text} (null: null) with each absolute path replaced by its last name. */
    public static String hide(String text) {
        if (text == null) return null;
        Matcher path = ABSOLUTE.matcher(text);
        StringBuilder hidden = new StringBuilder();
        while (path.find()) {
            String found = path.group();
            String trimmed = found.endsWith("/") ? found.substring(0, found.length() - 1) : found;
            path.appendReplacement(hidden, Matcher.quoteReplacement(trimmed.substring(trimmed.lastIndexOf('/') + 1)));
        }
        return path.appendTail(hidden).toString();
    }
}
