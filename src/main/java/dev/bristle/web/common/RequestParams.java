package dev.bristle.web.common;

import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.SortColumn;
import dev.bristle.leaderboard.SortDirection;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Turns URL parts into the domain's types. An unknown path part is a 404 (no such page); a bad query parameter
 * value is a 400. Missing query parameters take their defaults.
 */
public final class RequestParams {

    private RequestParams() {
    }

    public static Dataset dataset(String slug) {
        return Dataset.fromKey(slug).orElseThrow(() -> WebError.notFound("There is no leaderboard for data set '"
                + slug + "'. Known data sets: " + Arrays.stream(Dataset.values()).map(Dataset::slug)
                .collect(Collectors.joining(", ")) + "."));
    }

    public static Ipc ipc(String key) {
        return Ipc.fromKey(key).orElseThrow(() -> WebError.notFound("There is no leaderboard for IPC '" + key
                + "'. Known IPCs: 1, 10, 50 and all (unified)."));
    }

    public static AttackMode mode(String key) {
        if (key == null || key.isBlank()) {
            return AttackMode.UNTARGETED;
        }
        try {
            return AttackMode.fromKey(key);
        } catch (InvalidInputException e) {
            throw WebError.badRequest("Unknown mode '" + key + "': use mode=untargeted or mode=targeted.");
        }
    }

    /** BEARD's protocol when missing: the URLs from before boards had a protocol mean BEARD's. */
    public static AttackProtocol protocol(String key) {
        if (key == null || key.isBlank()) {
            return AttackProtocol.BEARD;
        }
        try {
            return AttackProtocol.fromKey(key.trim());
        } catch (InvalidInputException e) {
            throw WebError.badRequest("Unknown protocol '" + abbreviate(key) + "': use protocol=beard or protocol=sound.");
        }
    }

    /**
     * The protocol of one of {@code dataset}'s boards: when missing, BEARD's where BEARD published boards for it and
     * the sound protocol otherwise (Fashion-MNIST); a protocol the data set has no boards in is a 404.
     */
    public static AttackProtocol protocol(Dataset dataset, String key) {
        AttackProtocol protocol = key == null || key.isBlank()
                ? (dataset.hasBoardsIn(AttackProtocol.BEARD) ? AttackProtocol.BEARD : AttackProtocol.SOUND)
                : protocol(key);
        if (!dataset.hasBoardsIn(protocol)) {
            throw WebError.notFound("There is no " + dataset.label() + " leaderboard in BEARD's protocol: BEARD never"
                    + " measured it. Its boards are in the sound protocol (protocol=sound).");
        }
        return protocol;
    }

    /** Standard training when missing: adversarially trained entries have boards of their own. */
    public static TrainingRecipe.Kind recipe(String key) {
        if (key == null || key.isBlank()) return TrainingRecipe.Kind.STANDARD;
        try {
            return TrainingRecipe.Kind.fromKey(key.trim());
        } catch (InvalidInputException e) {
            throw WebError.badRequest("Unknown training recipe '" + abbreviate(key)
                    + "': use recipe=standard or recipe=pgd-at.");
        }
    }

    /** A parameter as a message quotes it: never the whole of a long input. */
    public static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }

    public static SortColumn sort(String key) {
        if (key == null || key.isBlank()) {
            return SortColumn.CREI;
        }
        return SortColumn.fromKey(key).orElseThrow(() -> WebError.badRequest("Cannot sort by '" + key
                + "': use sort=" + Arrays.stream(SortColumn.values()).map(SortColumn::key)
                .collect(Collectors.joining(", sort=")) + "."));
    }

    public static SortDirection direction(String key) {
        if (key == null || key.isBlank()) {
            return SortDirection.DESC;
        }
        return SortDirection.fromKey(key).orElseThrow(() -> WebError.badRequest("Unknown sort direction '" + key
                + "': use dir=desc or dir=asc."));
    }
}
