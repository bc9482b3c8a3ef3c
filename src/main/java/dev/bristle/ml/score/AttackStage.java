package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.AttackSuccess;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.ScoringPipeline.AttackUnit;
import dev.bristle.ml.score.ScoringPipeline.Listener;
import dev.bristle.ml.score.ScoringPipeline.Request;
import dev.bristle.ml.score.ScoringPipeline.StageStore;
import dev.bristle.ml.torch.HostTensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The attack stage of a scoring run: a student's attack runs measured shard by shard ({@link TestShard}), each
 * shard's measurement stored as it finishes, then the shards of each run joined into the student's measurement and
 * curve points.
 */
public final class AttackStage {

    private AttackStage() {
    }

    /** The attack runs each student gets under {@code plan}, in report order. */
    public static List<AttackUnit> units(AttackPlan plan, int classes) {
        List<AttackUnit> units = new ArrayList<>();
        for (Attack attack : plan.build(classes)) {
            for (AttackMode mode : plan.modes()) {
                if (!plan.runs(attack, mode)) continue;
                units.add(new AttackUnit(attack.name(), mode, null));
                if (attack.budget().isEmpty()) continue;
                for (double eps : plan.gridBudgets(attack)) units.add(new AttackUnit(attack.name(), mode, eps));
            }
        }
        return units;
    }

    /** The attack {@code unit} runs: the plan's, at the recorded budget or at the unit's grid budget. */
    static Attack attack(AttackPlan plan, AttackUnit unit, int classes) {
        Attack recorded = plan.build(classes).stream().filter(a -> a.name().equals(unit.attack())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the plan has no attack " + unit.attack()));
        return unit.eps() == null ? recorded : plan.at(recorded, unit.eps(), classes);
    }

    /** Student {@code index} loaded for attacking {@code shard} of the test set; stops when the listener cancels. */
    static AttackSession session(Request request, StageStore store, int index, TestShard shard, Device device,
                                 Listener listener) throws IOException {
        LinkedHashMap<String, HostTensor> weights = store.student(index).orElseThrow(() -> new IllegalStateException(
                "student " + index + " was trained but its weights are not in the store"));
        return new AttackSession(request.attacks(), weights, request.dataset(), device,
                shard.of(request.testSet().images()), shard.firstBatch(), (name, mode, done, all) -> {
                    if (listener.cancelled()) throw new CancellationException();
                    listener.progress(done, all, name + " " + mode.key() + ", " + done + " of " + all + " images");
                });
    }

    /**
     * The session's clean pass (over the whole test set) as each mode's Clean measurement of student {@code index},
     * and its zero-gradient census, unless stored.
     */
    static void recordClean(Request request, StageStore store, int index, AttackSession session) {
        for (AttackMode mode : request.attacks().modes()) {
            if (store.attackMeasurement(index, mode, Measurement.CLEAN).isEmpty()) {
                store.attackMeasured(index, mode, session.clean().measurement());
            }
        }
        if (store.gradientCensus(index).isEmpty()) store.gradientsCounted(index, session.gradientCensus());
    }

    /** Whether {@code unit}'s run of student {@code index} is measured over the whole test set (its shards joined). */
    static boolean joined(StageStore store, int index, AttackUnit unit) {
        return unit.eps() == null ? store.attackMeasurement(index, unit.mode(), unit.attack()).isPresent()
                : store.curvePoint(index, unit.mode(), unit.attack(), unit.eps()).isPresent();
    }

    /** Whether {@code unit}'s run of student {@code index} over {@code shard} is stored, on its own or joined. */
    static boolean measured(StageStore store, int index, AttackUnit unit, TestShard shard) {
        return joined(store, index, unit)
                || store.attackShards(index, unit).stream().anyMatch(m -> m.shard().equals(shard));
    }

    /** Whether student {@code index}'s Clean measurements and census are stored. */
    static boolean cleanRecorded(Request request, StageStore store, int index) {
        return store.gradientCensus(index).isPresent() && request.attacks().modes().stream()
                .allMatch(mode -> store.attackMeasurement(index, mode, Measurement.CLEAN).isPresent());
    }

    /** {@code unit}'s run of student {@code index} over the session's {@code shard}, unless stored. */
    static void measure(StageStore store, int index, AttackSession session, AttackUnit unit, TestShard shard) {
        if (measured(store, index, unit, shard)) return;
        AttackRun run = session.run(unit);
        store.attackShardMeasured(index, unit, new TestShard.Measured(shard, session.measurement(unit, run)));
    }

    /**
     * Joins the stored shards of each of student {@code index}'s runs not joined yet into its measurement, or, for a
     * grid budget, its curve point. An unbudgeted attack's curve points, read off its minimal perturbations, are stored
     * before its measurement, so a stored measurement means its points are there too.
     */
    static void join(Request request, StageStore store, int index) {
        AttackPlan plan = request.attacks();
        int classes = request.dataset().classCount();
        int images = request.testSet().images().count();
        for (AttackUnit unit : units(plan, classes)) {
            if (joined(store, index, unit)) continue;
            Measurement merged = ShardMerge.merge(store.attackShards(index, unit), images);
            if (unit.eps() != null) {
                store.curvePointMeasured(index, unit.mode(), unit.attack(), unit.eps(), merged.accuracy());
                continue;
            }
            List<Double> grid = plan.gridBudgets(attack(plan, unit, classes));
            if (merged.images().norm() != null && !grid.isEmpty()) {
                boolean[] clean = AttackSuccess.parseCorrectness(store.attackMeasurement(index, unit.mode(),
                        Measurement.CLEAN).orElseThrow().correct());
                for (BudgetSweep.Point point : BudgetSweep.minimalCurve(clean, merged, grid)) {
                    store.curvePointMeasured(index, unit.mode(), unit.attack(), point.eps(), point.accuracy());
                }
            }
            store.attackMeasured(index, unit.mode(), merged);
        }
    }
}
