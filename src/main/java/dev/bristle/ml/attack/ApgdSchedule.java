package dev.bristle.ml.attack;

import java.util.Arrays;

/**
 * {@link Apgd}'s step-size schedule, per open sample of a run, row for row: the objective at each step, the step size,
 * the best objective so far and at the last checkpoint, and whether the last checkpoint halved the step; and when
 * the next checkpoint comes (checkpoints come closer as the run goes on).
 */
final class ApgdSchedule {
    /** Each open sample's step size, read by every step. */
    float[] stepSize;
    private float[][] lossSteps;
    private float[] lossBest;
    private float[] lossBestLastCheck;
    private boolean[] reducedLastCheck;
    private final int checkpointsMin;
    private final int checkpointsDecrease;
    /** Steps between the last checkpoint and the next, and steps taken since the last. */
    private int k;
    private int counter;

    ApgdSchedule(int steps, float initialStepSize, float[] firstLoss) {
        int n = firstLoss.length;
        lossSteps = new float[steps][n];
        stepSize = new float[n];
        Arrays.fill(stepSize, initialStepSize);
        lossBest = firstLoss.clone();
        lossBestLastCheck = lossBest.clone();
        reducedLastCheck = new boolean[n];
        Arrays.fill(reducedLastCheck, true);
        k = Math.max((int) (0.22 * steps), 1);
        checkpointsMin = Math.max((int) (0.06 * steps), 1);
        checkpointsDecrease = Math.max((int) (0.03 * steps), 1);
    }

    /** Records step {@code i}'s objective per open sample; returns which samples improved on their best. */
    boolean[] record(int i, float[] loss) {
        boolean[] improved = new boolean[loss.length];
        for (int s = 0; s < loss.length; s++) {
            lossSteps[i][s] = loss[s];
            improved[s] = loss[s] > lossBest[s];
            if (improved[s]) lossBest[s] = loss[s];
        }
        return improved;
    }

    /**
     * After step {@code i}: at a checkpoint, halves the step of the samples whose objective rose in at most
     * {@code rho} of the steps since the last one (oscillating) or did not improve since it (stalled), and
     * returns them; null when this is no checkpoint or no step was halved.
     */
    boolean[] checkpoint(int i, double rho) {
        counter++;
        if (counter != k) return null;
        int steps = lossSteps.length;
        int m = stepSize.length;
        boolean[] reduce = new boolean[m];
        boolean any = false;
        for (int s = 0; s < m; s++) {
            int increases = 0;
            for (int back = 0; back < k; back++) {
                // Python's negative index: before the first step it reads the (still zero) last row.
                int later = Math.floorMod(i - back, steps);
                int earlier = Math.floorMod(i - back - 1, steps);
                if (lossSteps[later][s] > lossSteps[earlier][s]) increases++;
            }
            boolean oscillating = increases <= k * rho;
            boolean stalled = !reducedLastCheck[s] && lossBestLastCheck[s] >= lossBest[s];
            reduce[s] = oscillating || stalled;
            any |= reduce[s];
        }
        reducedLastCheck = reduce;
        lossBestLastCheck = lossBest.clone();
        if (any) {
            for (int s = 0; s < m; s++) if (reduce[s]) stepSize[s] /= 2;
        }
        counter = 0;
        k = Math.max(k - checkpointsDecrease, checkpointsMin);
        return any ? reduce : null;
    }

    /** Keeps the rows of the samples still open after {@code open} retired some. */
    void keep(Survivors open) {
        for (int i = 0; i < lossSteps.length; i++) lossSteps[i] = open.keep(lossSteps[i]);
        stepSize = open.keep(stepSize);
        lossBest = open.keep(lossBest);
        lossBestLastCheck = open.keep(lossBestLastCheck);
        reducedLastCheck = open.keep(reducedLastCheck);
    }
}
