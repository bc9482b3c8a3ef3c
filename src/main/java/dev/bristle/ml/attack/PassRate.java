package dev.bristle.ml.attack;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rate an attack run achieved: the model passes it spent (forward and backward, per image, the scoring pass
 * included), the wall time they were spent in, the share of it inside the passes, and the batch sizes the passes ran
 * at, with the seconds spent at each, so cost estimates use measured rates and a slow pass shows its batch size.
 *
 * @param passes             model passes over single images (a forward+backward on a batch of n counts 2n)
 * @param seconds            wall time of the run (attack and scoring)
 * @param modelSeconds       the part of {@code seconds} spent inside the model's passes
 * @param passesBySize       passes by the batch size of the call that ran them, ascending
 * @param modelSecondsBySize the seconds inside the passes of each batch size, ascending
 */
public record PassRate(long passes, double seconds, double modelSeconds, Map<Integer, Long> passesBySize,
                       Map<Integer, Double> modelSecondsBySize) {

    public static final PassRate NONE = new PassRate(0, 0, 0, Map.of(), Map.of());

    public PassRate {
        passesBySize = Collections.unmodifiableMap(new TreeMap<>(passesBySize));
        modelSecondsBySize = Collections.unmodifiableMap(new TreeMap<>(modelSecondsBySize));
    }

    /** Passes per second of wall time; 0 when no time was measured. */
    public double passesPerSecond() {
        return seconds > 0 ? passes / seconds : 0;
    }

    /** The batch sizes the passes ran at, ascending. */
    public List<Integer> batchSizes() {
        return List.copyOf(passesBySize.keySet());
    }

    /** The mean batch size a pass ran at (weighted by passes); 0 without passes. */
    public double meanBatchSize() {
        long weighted = 0;
        for (Map.Entry<Integer, Long> e : passesBySize.entrySet()) weighted += (long) e.getKey() * e.getValue();
        return passes > 0 ? (double) weighted / passes : 0;
    }

    /** Share of the passes that ran at a batch size of at least {@code size}. */
    public double shareAtLeast(int size) {
        long at = 0;
        for (Map.Entry<Integer, Long> e : passesBySize.entrySet()) if (e.getKey() >= size) at += e.getValue();
        return passes > 0 ? (double) at / passes : 0;
    }

    /** Running totals a target keeps; {@link Snapshot#since} turns two of them into a run's rate. */
    static final class Log {
        private final TreeMap<Integer, Long> passesBySize = new TreeMap<>();
        private final TreeMap<Integer, Long> nanosBySize = new TreeMap<>();

        /** One call of the model on {@code batchSize} rows, {@code passesPerImage} passes each, that took {@code nanos}. */
        void add(int batchSize, int passesPerImage, long nanos) {
            passesBySize.merge(batchSize, (long) batchSize * passesPerImage, Long::sum);
            nanosBySize.merge(batchSize, nanos, Long::sum);
        }

        /** Nanoseconds inside the model's passes so far. */
        long nanos() {
            return nanosBySize.values().stream().mapToLong(Long::longValue).sum();
        }

        Snapshot snapshot() {
            return new Snapshot(new TreeMap<>(passesBySize), new TreeMap<>(nanosBySize));
        }
    }

    /** The totals by batch size at one moment. */
    record Snapshot(Map<Integer, Long> passesBySize, Map<Integer, Long> nanosBySize) {

        /** The rate between {@code before} and this snapshot, over {@code seconds} of wall time. */
        PassRate since(Snapshot before, double seconds) {
            Map<Integer, Long> sizes = new TreeMap<>();
            Map<Integer, Double> sizeSeconds = new TreeMap<>();
            long passes = 0;
            long nanos = 0;
            for (Map.Entry<Integer, Long> e : passesBySize.entrySet()) {
                long spent = e.getValue() - before.passesBySize.getOrDefault(e.getKey(), 0L);
                if (spent <= 0) continue;
                long took = nanosBySize.get(e.getKey()) - before.nanosBySize.getOrDefault(e.getKey(), 0L);
                sizes.put(e.getKey(), spent);
                sizeSeconds.put(e.getKey(), took / 1e9);
                passes += spent;
                nanos += took;
            }
            return new PassRate(passes, seconds, nanos / 1e9, sizes, sizeSeconds);
        }
    }
}
