package dev.bristle.text;

/**
 * Names and short texts users type, as pages show them: a control character (NUL, another C0 or C1 control) or a
 * mark that reorders or hides text (bidirectional embeddings, overrides and isolates) does not belong in them.
 */
public final class PlainText {

    /** What a refusal says, after the field's name. */
    public static final String PROBLEM = "must not contain control characters (such as NUL) or direction marks";

    private PlainText() {
    }

    /** Whether {@code text} (null: no) holds a character a name must not hold. */
    public static boolean hasHiddenCharacters(String text) {
        return text != null && text.codePoints().anyMatch(PlainText::hidden);
    }

    private static boolean hidden(int c) {
        return Character.getType(c) == Character.CONTROL
                || c == 0x061C || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
