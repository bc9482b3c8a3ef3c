package dev.bristle.leaderboard;

import java.util.List;

/** The twelve boards of one attack mode and protocol, each with its top ranked entries. */
public record HomeView(String mode, String protocol, String protocolLabel, List<NavLink> modes,
                       List<NavLink> protocols, List<DatasetBoards> datasets) {

    public record DatasetBoards(String dataset, String datasetSlug, List<BoardCard> boards) {
    }

    /** One board in short: its size (ranked and preliminary rows) and its best ranked entries by CREI. */
    public record BoardCard(String dataset, String ipc, String ipcLabel, String url, String apiUrl, int entries,
                            int preliminary, List<BoardRow> top) {
    }
}
