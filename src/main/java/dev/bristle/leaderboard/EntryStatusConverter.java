package dev.bristle.leaderboard;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** An entry status as its key in the database ("ranked", "preliminary"). */
@Converter(autoApply = true)
public class EntryStatusConverter implements AttributeConverter<EntryStatus, String> {

    @Override
    public String convertToDatabaseColumn(EntryStatus status) {
        return status == null ? null : status.key();
    }

    @Override
    public EntryStatus convertToEntityAttribute(String key) {
        return key == null ? null : EntryStatus.fromKey(key);
    }
}
