package dev.bristle.text;

/** Text stored in a column of bounded length: cut to fit, an ellipsis saying so, rather than refused by the database. */
public final class ColumnText {

    private ColumnText() {
    }

    /** {@code text} cut to at most {@code length} characters, its last an ellipsis when cut; null stays null. */
    public static String fit(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
