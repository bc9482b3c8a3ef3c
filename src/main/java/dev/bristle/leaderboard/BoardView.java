package dev.bristle.leaderboard;

import java.util.List;

/**
 * One leaderboard (dataset, IPC, mode, protocol): its ranked rows in the requested order, then its preliminary rows
 * (unranked), with its Full-size reference and caveats.
 *
 * @param protocol "beard" or "sound"
 */
public record BoardView(
        String dataset,
        String datasetSlug,
        String ipc,
        String ipcLabel,
        String mode,
        String protocol,
        String protocolLabel,
        String sort,
        String dir,
        String url,
        List<NavLink> modes,
        List<NavLink> protocols,
        List<NavLink> boards,
        List<ColumnHeader> columns,
        List<BoardRow> rows,
        FullSizeReference fullSize,
        List<String> notes) {

    public boolean hasPreliminary() {
        return rows.stream().anyMatch(BoardRow::preliminary);
    }

    /** The index of the first preliminary row (they all follow the ranked ones), or -1. */
    public int firstPreliminary() {
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).preliminary()) return i;
        return -1;
    }

    /** A sortable column: the URL that sorts by it (toggling the direction when it is the current column). */
    public record ColumnHeader(String key, String label, String url, boolean active, String ariaSort) {
    }

    /**
     * The paper's numbers for a student trained on the whole training set (null where the paper has none).
     *
     * @param source e.g. "paper Table 1"
     */
    public record FullSizeReference(String source, String scope, Double crei, Double rrm, Double aem,
                                    List<String> notes) {
    }
}
