package dev.bristle.web.common;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Instants for templates, as people read them: {@code {instant:utc(job.createdAt)}} is
 * {@code <time datetime="2026-11-30T13:44:28.829188Z" title="2026-11-30T13:44:28.829188Z">2026-11-30 13:44 UTC</time>},
 * the date and time in UTC to the minute, the exact instant in its tooltip (the JSON twins keep the exact instant).
 */
@TemplateExtension(namespace = "instant")
public final class TemplateTimes {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private TemplateTimes() {
    }

    /** A {@code <time>} element, or an em dash where there is no instant. */
    static RawString utc(Instant instant) {
        if (instant == null) return new RawString("—");
        // Instant.toString is ISO-8601 digits, letters T and Z, colons and dots: nothing to escape.
        String exact = instant.toString();
        return new RawString("<time datetime=\"" + exact + "\" title=\"" + exact + "\">"
                + MINUTE.format(instant.truncatedTo(ChronoUnit.MINUTES)) + "</time>");
    }
}
