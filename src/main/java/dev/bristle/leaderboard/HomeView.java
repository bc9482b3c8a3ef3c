package dev.bristle.leaderboard;

import java.util.List;

/** The twelve boards of one attack mode and protocol, each with its top ranked entries. */
public record HomeView(String mode, String protocol, String protocolLabel, List<NavLink> modes,
                       List<NavLink> protocols, List<DatasetBoards> datasets) {

    public record DatasetBoards(String dataset, String datasetSlug, List<BoardCard> boards) {
    }

    /**
     * One board in short: its size (ranked and preliminary rows), its best ranked entries by CREI, and under them its
     * best preliminary entries by CREI, as many as leave the card its length; a card lists nothing only when its board
     * has no entries.
     *
     * @param top            the best ranked entries by CREI
     * @param topPreliminary the best preliminary entries by CREI, filling the card after the ranked ones
     */
    public record BoardCard(String dataset, String ipc, String ipcLabel, String url, String apiUrl, int entries,
                            int ranked, int preliminary, List<BoardRow> top, List<BoardRow> topPreliminary) {
    }
}
