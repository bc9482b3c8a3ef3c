package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.score.OfficialSettings;

/** The ml core's {@link OfficialSettings} as this instance applies them: scaled by {@code bristle.official.*}. */
public final class OfficialRuns {

    private OfficialRuns() {
    }

    /** {@code protocol}'s official settings, scaled down where the test-only {@code bristle.official.*} are set. */
    public static OfficialSettings of(AttackProtocol protocol, BristleConfig.OfficialScale scale) {
        return OfficialSettings.of(protocol).scaled(
                scale.students().isPresent() ? scale.students().getAsInt() : null,
                scale.epochs().isPresent() ? scale.epochs().getAsInt() : null,
                scale.testImages().isPresent() ? scale.testImages().getAsInt() : null,
                scale.attacks().orElse(null), scale.modes().orElse(null));
    }
}
