package dev.bristle.leaderboard;

/** A link of a switch or tab bar (attack mode, IPC); {@code active} marks the current one. */
public record NavLink(String key, String label, String url, boolean active) {
}
