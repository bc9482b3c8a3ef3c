package dev.bristle.submissions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the server verifies a submitted bundle (docs/verification.md says what each check does). */
@ConfigMapping(prefix = "bristle.verification")
public interface VerificationConfig {

    /** Test images the sampled-attacks check attacks per drawn student, attack and mode. */
    @WithDefault("100")
    int samplePerCell();

    /** Students the server draws for the sampled-attacks check. */
    @WithDefault("2")
    int studentsDrawn();
}
