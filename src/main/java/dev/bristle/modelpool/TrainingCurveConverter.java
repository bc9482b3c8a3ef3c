package dev.bristle.modelpool;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A training curve in its column: one "epoch loss accuracy" line per epoch (compact, and readable in SQL). */
@Converter
public class TrainingCurveConverter implements AttributeConverter<List<TrainingPoint>, String> {

    @Override
    public String convertToDatabaseColumn(List<TrainingPoint> curve) {
        if (curve == null || curve.isEmpty()) return null;
        return curve.stream().map(p -> String.format(Locale.ROOT, "%d %.6g %.4f", p.epoch(), p.loss(), p.accuracy()))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public List<TrainingPoint> convertToEntityAttribute(String column) {
        List<TrainingPoint> curve = new ArrayList<>();
        if (column == null) return curve;
        for (String line : column.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 3) continue;
            curve.add(new TrainingPoint(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2])));
        }
        return curve;
    }
}
