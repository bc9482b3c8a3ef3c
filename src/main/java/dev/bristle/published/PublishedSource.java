package dev.bristle.published;

import java.util.List;

/** Where a file of published results comes from: the paper, the repository and commit, and what it holds. */
public record PublishedSource(
        String benchmark,
        Paper paper,
        String repository,
        String commit,
        String leaderboardSite,
        String content,
        String derivedFrom,
        List<String> notes) {

    public record Paper(String title, String authors, String arxiv, String url) {
    }

    public PublishedSource {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
