package dev.bristle.ml.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a verification draws from its secret seed: the students whose attacks are re-run, the images of each
 * student, attack and mode among those the record calls robust, and the student re-trained. Each draw has a stream of
 * its own, so one check's draw does not depend on which other checks ran.
 */
public final class Draws {

    private static final long STUDENTS = 0x53545544454E5453L;
    private static final long IMAGES = 0x494D414745530000L;
    private static final long TRAINING = 0x545241494E494E47L;

    private final long seed;

    public Draws(long seed) {
        this.seed = seed;
    }

    /** {@code count} of the {@code students} (all when fewer), in ascending order. */
    public int[] students(int students, int count) {
        return sample(new SplittableRandom(seed ^ STUDENTS), range(students), Math.min(count, students));
    }

    /** The student re-trained by the training check. */
    public int trainedStudent(int students) {
        return new SplittableRandom(seed ^ TRAINING).nextInt(students);
    }

    /**
     * Up to {@code count} of the images whose character in {@code correct} is '1' (robust in the record), ascending,
     * for the cell of student {@code student}, attack {@code attack} and mode {@code mode}.
     */
    public int[] robustImages(String correct, int count, int student, String attack, String mode) {
        List<Integer> robust = new ArrayList<>();
        for (int i = 0; i < correct.length(); i++) if (correct.charAt(i) == '1') robust.add(i);
        long cell = (student * 31L + attack.hashCode()) * 31L + mode.hashCode();
        return sample(new SplittableRandom(seed ^ IMAGES ^ (cell * 0x9E3779B97F4A7C15L)),
                robust.stream().mapToInt(Integer::intValue).toArray(), Math.min(count, robust.size()));
    }

    /** A uniform sample of {@code count} of {@code from} without replacement (partial Fisher-Yates), ascending. */
    private static int[] sample(SplittableRandom random, int[] from, int count) {
        int[] pool = from.clone();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
        int[] drawn = Arrays.copyOf(pool, count);
        Arrays.sort(drawn);
        return drawn;
    }

    private static int[] range(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return all;
    }
}
