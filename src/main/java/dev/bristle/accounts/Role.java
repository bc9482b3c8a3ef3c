package dev.bristle.accounts;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;

import java.util.Locale;
import java.util.Set;

/**
 * What an account may do. A maintainer may do everything a submitter may, so a maintainer's identity carries both
 * role names and resource methods name the least role they need.
 */
public enum Role implements Keyed {
    SUBMITTER, MAINTAINER;

    /** Role names as {@code @RolesAllowed} takes them. */
    public static final String SUBMITTER_NAME = "submitter";
    public static final String MAINTAINER_NAME = "maintainer";

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role names an identity of this role holds. */
    public Set<String> grantedNames() {
        return this == MAINTAINER ? Set.of(SUBMITTER_NAME, MAINTAINER_NAME) : Set.of(SUBMITTER_NAME);
    }

    public static Role fromKey(String key) {
        return Keyed.fromKey(Role.class, key)
                .orElseThrow(() -> new InvalidInputException("unknown role '" + key
                        + "' (expected submitter or maintainer)"));
    }
}
