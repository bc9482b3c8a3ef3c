package dev.bristle.scoring;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A kind of passes as its key in the database ("training", "attacks"). */
@Converter(autoApply = true)
public class PassKindConverter implements AttributeConverter<PassKind, String> {

    @Override
    public String convertToDatabaseColumn(PassKind kind) {
        return kind == null ? null : kind.key();
    }

    @Override
    public PassKind convertToEntityAttribute(String key) {
        return key == null ? null : PassKind.fromKey(key);
    }
}
