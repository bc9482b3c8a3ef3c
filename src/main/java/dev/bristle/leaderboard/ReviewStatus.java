package dev.bristle.leaderboard;

import dev.bristle.keys.Keyed;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/** Where an entry stands with the maintainers: only APPROVED entries appear on the public boards. */
public enum ReviewStatus implements Keyed {
    PENDING, APPROVED, REJECTED;

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReviewStatus fromKey(String key) {
        return Keyed.fromKey(ReviewStatus.class, key)
                .orElseThrow(() -> new IllegalArgumentException("unknown review status '" + key + "'"));
    }

    /** Stores a status as its upper-case name. */
    @Converter
    public static class Column implements AttributeConverter<ReviewStatus, String> {

        @Override
        public String convertToDatabaseColumn(ReviewStatus status) {
            return status == null ? null : status.name();
        }

        @Override
        public ReviewStatus convertToEntityAttribute(String column) {
            return column == null ? null : ReviewStatus.valueOf(column);
        }
    }
}
