package dev.bristle.web.common;

import io.quarkus.qute.TemplateExtension;

import java.util.Locale;

/** Number formats for templates: {@code {num:fmt(row.rrm)}}. */
@TemplateExtension(namespace = "num")
public final class TemplateFormats {

    private TemplateFormats() {
    }

    /** Two decimals, or an em dash where the number is unknown. */
    static String fmt(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** A share in [0, 1] as a percentage with two decimals (0.9975: 99.75 %), or an em dash where it is unknown. */
    static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    /** A difference with its sign (+1.20, −0.40), or an em dash where it is unknown. */
    static String signed(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%+.2f", value).replace('-', '−');
    }
}
