package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Rate limits the tests cannot reach: for tests that sign in or post to a limited route many times, so they neither
 * meet a 429 themselves nor use up the minute's sign-ins of the tests after them.
 */
public class GenerousLimits implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bristle.accounts.limits.sign-ins-per-minute", "100000",
                "bristle.accounts.limits.uploads-per-minute", "100000");
    }
}
