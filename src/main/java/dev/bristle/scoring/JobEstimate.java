package dev.bristle.scoring;

import java.util.List;

/**
 * What a job would cost before it is queued: the model passes of the chosen settings and of the protocol's official
 * settings on the same subject, and the hours they take on this installation's live workers at the pass rates
 * those workers measured.
 *
 * @param chosen   the settings asked for
 * @param official the official settings of the same protocol and training recipe (a checkpoint: evaluated with every
 *                 attack in both modes)
 * @param fleet    the workers and rates the hours assume
 */
public record JobEstimate(Cost chosen, Cost official, Fleet fleet) {

    /**
     * @param passes          every model pass: training, clean evaluation and attacks
     * @param training        training the students (0 for a checkpoint)
     * @param evaluation      the students' clean evaluation
     * @param attacks         the attack runs, expected
     * @param attacksAtMost   the attack runs if every image resisted every attack to its last step
     * @param testImages      test images each student is evaluated on
     * @param tasks           the tasks the job is split into: training, per student a clean evaluation and one task
     *                        per shard of the test images of each attack run ({@code bristle.scoring.shard-images}),
     *                        the assembly of the results
     * @param hours           on the live workers at their measured rates; null when no worker is live or none has
     *                        measured its rate
     * @param runs            each attack run of one student, in the order the job's tasks run them
     */
    public record Cost(long passes, long training, long evaluation, long attacks, long attacksAtMost,
                       int testImages, int tasks, Double hours, List<AttackPasses> runs) {
    }

    /**
     * @param attack         the attack's name
     * @param mode           "untargeted" or "targeted"
     * @param passesPerImage expected passes per image, the scoring pass included
     * @param atMost         passes per image of an image that resists to the end: the attack's budget
     */
    public record AttackPasses(String attack, String mode, double passesPerImage, double atMost) {
    }

    /**
     * @param workers           live workers (seen looking for work or running some within heartbeat-seconds x missed-heartbeats)
     * @param trainingPerSecond training passes per second of one worker, as measured here; null before any training
     * @param attacksPerSecond  attack passes per second of one worker, as measured here; null before any attack run
     */
    public record Fleet(int workers, Double trainingPerSecond, Double attacksPerSecond) {
    }
}
