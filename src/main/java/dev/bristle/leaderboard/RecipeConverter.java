package dev.bristle.leaderboard;

import dev.bristle.ml.train.TrainingRecipe;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A training recipe's kind as its key in the database ("standard", "pgd-at"). */
@Converter(autoApply = true)
public class RecipeConverter implements AttributeConverter<TrainingRecipe.Kind, String> {

    @Override
    public String convertToDatabaseColumn(TrainingRecipe.Kind kind) {
        return kind == null ? null : kind.key();
    }

    @Override
    public TrainingRecipe.Kind convertToEntityAttribute(String key) {
        return key == null ? null : TrainingRecipe.Kind.fromKey(key);
    }
}
