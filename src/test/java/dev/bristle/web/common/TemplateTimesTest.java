package dev.bristle.web.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Instants on the pages: UTC to the minute, the exact instant in the tooltip. */
class TemplateTimesTest {

    @Test
    void anInstantReadsToTheMinuteWithTheExactInstantInItsTooltip() {
        assertEquals("<time datetime=\"2026-11-30T13:44:58.829188Z\" title=\"2026-11-30T13:44:58.829188Z\">"
                + "2026-11-30 13:44 UTC</time>", TemplateTimes.utc(Instant.parse("2026-11-30T13:44:58.829188Z"))
                .getValue(), "cut to the minute, not rounded up");
        assertEquals("<time datetime=\"2026-01-02T03:04:00Z\" title=\"2026-01-02T03:04:00Z\">2026-01-02 03:04 UTC"
                + "</time>", TemplateTimes.utc(Instant.parse("2026-01-02T03:04:00Z")).getValue());
    }

    @Test
    void noInstantIsAnEmDash() {
        assertEquals("—", TemplateTimes.utc(null).getValue());
    }
}
