package dev.bristle.scoring;

import dev.bristle.jobs.WorkerInstance;
import dev.bristle.jobs.WorkerPulse;
import dev.bristle.config.BristleConfig;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.CostModel;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingRecipe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The pass rates the workers measured on their own work (passes per second, per instance, device and kind of work)
 * and which workers are live, for the estimates of what a job will take ({@link CostEstimates}). Recording never
 * fails the work it measures: a failure to write is logged.
 */
@ApplicationScoped
public class PassRates {

    private static final Logger LOG = Logger.getLogger(PassRates.class);

    @Inject
    WorkerInstance instance;

    @Inject
    BristleConfig config;

    private volatile Instant lastSeen = Instant.EPOCH;
    /** The device this instance's jobs compute on (they ask for {@code auto}), once known. */
    private volatile String device;

    /**
     * The installation's workers as an estimate sees them.
     *
     * @param workers             the live workers (seen within the stale interval)
     * @param trainingPerSecond   training passes per second of one worker (the live ones' mean; a worker that has
     *                            measured nothing counts at the installation's mean); null when none was measured
     * @param attacksPerSecond    attack passes per second of one worker, likewise; null when none was measured
     */
    public record Fleet(List<String> workers, Double trainingPerSecond, Double attacksPerSecond) {
    }

    /** A student this instance trained under {@code recipe}: its epochs over its training images. */
    public void recordTraining(TrainedStudent student, TrainingRecipe recipe) {
        record(PassKind.TRAINING, (double) student.curve().size() * student.trainingImages()
                * CostModel.trainingPassesPerImage(recipe), student.seconds());
    }

    /** An attack run this instance measured (its passes per image over its images); the clean pass is no attack. */
    public void recordAttack(Measurement measurement) {
        if (Measurement.CLEAN.equals(measurement.attack()) || measurement.passes() == null
                || measurement.seconds() == null || measurement.correct() == null) {
            return;
        }
        record(PassKind.ATTACKS, measurement.passes() * measurement.correct().length(), measurement.seconds());
    }

    /** Adds {@code passes} of {@code kind} that took {@code seconds} to this instance's rate on its device. */
    private void record(PassKind kind, double passes, double seconds) {
        if (!(passes > 0 && seconds > 0 && Double.isFinite(passes) && Double.isFinite(seconds))) return;
        try {
            if (device == null) device = ComputeDevice.select(ComputeDevice.Setting.AUTO).toString();
            add(instance.id(), device, kind, passes, seconds, Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("pass rate of %s on %s not recorded: %s", kind.key(), device, e.getMessage());
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void add(String worker, String device, PassKind kind, double passes, double seconds, Instant now) {
        WorkerPassRate rate = WorkerPassRate.find(worker, device, kind).orElseGet(() -> {
            WorkerPassRate made = new WorkerPassRate();
            made.instanceId = worker;
            made.device = device;
            made.kind = kind;
            return made;
        });
        rate.passes += passes;
        rate.seconds += seconds;
        rate.updatedAt = now;
        rate.persist();
        // A worker that just finished work is live, whenever its heartbeat last wrote.
        touch(worker, now);
    }

    /** This instance's worker is live: its engine looked for work, or beat for work it runs. */
    void seen(@Observes WorkerPulse pulse) {
        seen();
    }

    /** This instance's worker is live: written at most once a heartbeat interval. */
    public void seen() {
        Instant now = Instant.now();
        if (Duration.between(lastSeen, now).getSeconds() < config.worker().heartbeatSeconds()) return;
        lastSeen = now;
        try {
            touch(instance.id(), now);
        } catch (RuntimeException e) {
            LOG.warnf("worker %s: its presence was not recorded: %s", instance.id(), e.getMessage());
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void touch(String worker, Instant now) {
        WorkerSeen seen = WorkerSeen.findById(worker);
        if (seen == null) {
            seen = new WorkerSeen();
            seen.instanceId = worker;
        }
        seen.seenAt = now;
        seen.persist();
    }

    /** The live workers (seen since the stale cutoff) and their rates. */
    @Transactional
    public Fleet fleet() {
        List<String> live = WorkerSeen.since(instance.staleCutoff());
        return new Fleet(live, perWorker(PassKind.TRAINING, live), perWorker(PassKind.ATTACKS, live));
    }

    /**
     * One worker's rate of {@code kind}: the mean over the live workers of each one's latest measured rate, the
     * installation's mean (over every worker's latest) standing in for a live worker that measured nothing, and
     * for all when none is live.
     */
    private static Double perWorker(PassKind kind, List<String> live) {
        Map<String, Double> latest = new LinkedHashMap<>();
        for (WorkerPassRate rate : WorkerPassRate.ofKind(kind)) latest.putIfAbsent(rate.instanceId, rate.perSecond());
        OptionalDouble installation = latest.values().stream().mapToDouble(Double::doubleValue).average();
        if (installation.isEmpty()) return null;
        List<Double> each = new ArrayList<>();
        for (String worker : live) each.add(latest.getOrDefault(worker, installation.getAsDouble()));
        return each.isEmpty() ? installation.getAsDouble()
                : each.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
