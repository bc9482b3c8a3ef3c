package dev.bristle.leaderboard;

import dev.bristle.ml.attack.AttackProtocol;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A protocol as its key in the database ("beard", "sound"). */
@Converter(autoApply = true)
public class ProtocolConverter implements AttributeConverter<AttackProtocol, String> {

    @Override
    public String convertToDatabaseColumn(AttackProtocol protocol) {
        return protocol == null ? null : protocol.key();
    }

    @Override
    public AttackProtocol convertToEntityAttribute(String key) {
        return key == null ? null : AttackProtocol.fromKey(key);
    }
}
