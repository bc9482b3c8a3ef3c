package dev.bristle.text;

/** Bounded quotations of user input for messages: a refusal never echoes more than a short excerpt of what it got. */
public final class Excerpts {

    /** Longest quotation of user input in a message. */
    public static final int MAX_CHARS = 40;

    private Excerpts() {
    }

    /** {@code text} cut to {@link #MAX_CHARS} characters (with "..." and its length when cut); null as "". */
    public static String of(String text) {
        return cut(text, MAX_CHARS);
    }

    public static String cut(String text, int maxChars) {
        if (text == null) return "";
        if (text.length() <= maxChars) return text;
        return text.substring(0, maxChars) + "... (" + text.length() + " characters)";
    }
}
