package dev.bristle.leaderboard;

import java.util.List;

/** The twelve boards of one attack mode, each with its top entries. */
public record HomeView(String mode, List<NavLink> modes, List<DatasetBoards> datasets) {

    public record DatasetBoards(String dataset, String datasetSlug, List<BoardCard> boards) {
    }

    /** One board in short: its size and its best entries by CREI. */
    public record BoardCard(String dataset, String ipc, String ipcLabel, String url, String apiUrl, int entries,
                            List<BoardRow> top) {
    }
}
