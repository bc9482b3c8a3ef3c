package dev.bristle.accounts;

/** Who asks: an account's name and whether it may maintain; services record and check ownership with it. */
public record Actor(String name, boolean maintainer) {

    /** The identity of {@code BRISTLE_ADMIN_TOKEN}. */
    public static final String ADMIN = "admin";
}
