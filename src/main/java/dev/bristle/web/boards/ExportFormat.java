package dev.bristle.web.boards;

import dev.bristle.keys.Keyed;


/** What a board is downloaded as: its JSON, or its rows as CSV. */
public enum ExportFormat implements Keyed {
    JSON("json"),
    CSV("csv");

    private final String key;

    ExportFormat(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }
}
