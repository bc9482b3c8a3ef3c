package dev.bristle.leaderboard;

import java.util.List;

/**
 * One leaderboard (dataset, IPC, mode, protocol): its ranked rows in the requested order, then its preliminary rows
 * (unranked), with its Full-size reference and caveats.
 *
 * @param protocol "beard" or "sound"
 * @param recipe   how the entries' students were trained, "standard" or "pgd-at": one table never ranks both
 * @param baseline the board's random-subset entry, which every row's gains are measured against; null when none
 *                 has been measured
 * @param adversarialTable4 BEARD's Table 4 (CIFAR-10, unified IPC, BEARD's protocol): each method's CREI with and
 *                 without adversarial training, shown beside adversarially trained boards; empty elsewhere
 */
public record BoardView(
        String dataset,
        String datasetSlug,
        String ipc,
        String ipcLabel,
        String mode,
        String protocol,
        String protocolLabel,
        String recipe,
        String recipeLabel,
        String sort,
        String dir,
        String url,
        List<NavLink> modes,
        List<NavLink> protocols,
        List<NavLink> recipes,
        List<NavLink> boards,
        List<ColumnHeader> columns,
        List<BoardRow> rows,
        FullSizeReference fullSize,
        Baseline baseline,
        List<Table4Row> adversarialTable4,
        List<String> notes) {

    public boolean hasPreliminary() {
        return rows.stream().anyMatch(BoardRow::preliminary);
    }

    /** The index of the first preliminary row (they all follow the ranked ones), or -1. */
    public int firstPreliminary() {
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).preliminary()) return i;
        return -1;
    }

    /**
     * The random-subset entry of the board's dataset and IPC, measured by Bristle: what a distillation method must
     * beat.
     */
    public record Baseline(String method, String status, Double cleanAccuracy, Double robustAccuracy, double crei,
                           String entryUrl) {
    }

    /** One method's row of BEARD's Table 4: CREI after standard and after adversarial training. */
    public record Table4Row(String method, Double standardCrei, Double adversarialCrei) {
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
