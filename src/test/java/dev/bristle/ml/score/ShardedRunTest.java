package dev.bristle.ml.score;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainedStudent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21 on the real engine: an attack run measured in shards of the test images, the shards run as a job's tasks
 * run them (in any order, each in a session of its own), joins into the same measurements, image for image, as the
 * run measured whole, and into the same metrics. One student of DC's CIFAR-10 IPC-10 set, 520 test images: shards of
 * 256 make three (256, 256 and 8 images).
 */
class ShardedRunTest {

    private static final int IMAGES = 520;
    private static final int SHARD = 256;

    /** A student trained once, then given to every store, so each run attacks the same weights. */
    private static TrainedStudent trained(ScoringPipeline.Request request) throws Exception {
        MemoryStageStore store = new MemoryStageStore();
        List<TrainedStudent> captured = new ArrayList<>();
        ScoringPipeline.StageStore capturing = (ScoringPipeline.StageStore) Proxy.newProxyInstance(
                ScoringPipeline.StageStore.class.getClassLoader(), new Class<?>[] {ScoringPipeline.StageStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("studentTrained")) captured.add((TrainedStudent) args[0]);
                    return method.invoke(store, args);
                });
        StudentTraining.train(request, capturing, new ScoringPipelineTest.Recorder(() -> false));
        return captured.get(0);
    }

    private static ScoringPipeline.Request request(AttackPlan plan, int shardImages) throws Exception {
        ScoringPipeline.Request base = ScoringPipelineTest.dcTenOnAHundredImages(plan);
        return new ScoringPipeline.Request(base.method(), base.set(), base.dataset(),
                TestSets.load(base.dataset(), dev.bristle.ml.SharedData.path("data")).firstImages(IMAGES),
                base.training(), plan, shardImages);
    }

    /** The run measured whole: one shard, in one go. */
    private static Sharded whole(ScoringPipeline.Request request, TrainedStudent student) throws Exception {
        MemoryStageStore store = new MemoryStageStore();
        store.studentTrained(student);
        ScoringPipeline.Result result = new ScoringPipeline().run(new ScoringPipeline.Request(request.method(),
                request.set(), request.dataset(), request.testSet(), request.training(), request.attacks(), IMAGES),
                store, new ScoringPipelineTest.Recorder(() -> false));
        return new Sharded(store, result);
    }

    /** The run as a job's tasks make it: the clean evaluation, then every shard of every run, last shard first. */
    private static Sharded asTasks(ScoringPipeline.Request request, TrainedStudent student) throws Exception {
        MemoryStageStore store = new MemoryStageStore();
        store.studentTrained(student);
        ScoringPipeline pipeline = new ScoringPipeline();
        var listener = new ScoringPipelineTest.Recorder(() -> false);
        assertTrue(pipeline.evaluate(request, store, listener, 0));
        List<TestShard> shards = new ArrayList<>(TestShard.split(IMAGES, SHARD));
        assertEquals(List.of(new TestShard(0, 256), new TestShard(256, 256), new TestShard(512, 8)), shards);
        Collections.reverse(shards);
        for (TestShard shard : shards) {
            for (ScoringPipeline.AttackUnit unit : AttackStage.units(request.attacks(), 10)) {
                assertTrue(pipeline.attack(request, store, listener, 0, unit, shard));
            }
        }
        // A shard planned past the end of the test set (a split shorter than planned) has nothing to measure.
        assertTrue(pipeline.attack(request, store, listener, 0, AttackStage.units(request.attacks(), 10).get(0),
                new TestShard(768, 256)));
        return new Sharded(store, pipeline.assemble(request, store, List.of(false)));
    }

    private record Sharded(MemoryStageStore store, ScoringPipeline.Result result) {
    }

    @Test
    void gradientAttacksAndTheirGridInShardsEqualTheWholeRunImageForImageWithTheSameMetrics() throws Exception {
        BudgetSweep.Grid grid = new BudgetSweep.Grid(List.of(1 / 255.0, 2 / 255.0), List.of(0.25, 0.5));
        equalInShards(AttackPlan.of(List.of("FGSM", "PGD", "PGD_L2"), List.of(AttackMode.UNTARGETED),
                AttackProtocol.SOUND, 5).withGrid(grid));
    }

    /** The minimal-perturbation attacks, whose curves are read off the joined per-image norms (minutes: heavy). */
    @Test
    @Tag("heavy")
    void minimalPerturbationAttacksInShardsEqualTheWholeRun() throws Exception {
        BudgetSweep.Grid grid = new BudgetSweep.Grid(List.of(1 / 255.0, 2 / 255.0), List.of(0.25, 0.5));
        equalInShards(AttackPlan.of(List.of("FGSM", "PGD", "PGD_L2", "CW", "DeepFool"),
                List.of(AttackMode.UNTARGETED), AttackProtocol.SOUND, 5).withGrid(grid));
    }

    private static void equalInShards(AttackPlan plan) throws Exception {
        ScoringPipeline.Request request = request(plan, SHARD);
        TrainedStudent student = trained(request);
        Sharded whole = whole(request, student);
        Sharded sharded = asTasks(request, student);

        int differing = sameImages(plan, whole.store(), sharded.store());
        assertEquals(0, differing);
        assertEquals(whole.result().curves(), sharded.result().curves(), "the grid's points, and those read off the"
                + " joined norms");
        MetricReport expected = whole.result().metrics().get(AttackMode.UNTARGETED);
        MetricReport actual = sharded.result().metrics().get(AttackMode.UNTARGETED);
        assertEquals(expected.rr(), actual.rr());
        assertEquals(expected.ae(), actual.ae(), "the sound protocol's AE counts passes: the same in shards");
        assertEquals(expected.crei(), actual.crei());
        assertEquals(whole.result().uncertainty(), sharded.result().uncertainty(), "the bootstrap intervals too");
        System.out.printf(Locale.ROOT, "sharded run (sound, %d images in shards of %d, %s with a grid): %d differing"
                        + " images; CREI %.4f both, RRM %.4f, AEM %.4f%n", IMAGES, SHARD,
                String.join(", ", plan.attacks()), differing, actual.crei(), actual.rr(), actual.ae());
    }

    /**
     * BEARD's protocol keeps the reference's batches of 256 from the start of the test set, with a random stream per
     * batch: shards start on those batches, so even uniform noise, seeded per batch, is the same in shards.
     */
    @Test
    void beardsBatchesAndTheirSeedsSurviveSharding() throws Exception {
        AttackPlan plan = AttackPlan.of(List.of("FGSM", "Noise"), List.of(AttackMode.TARGETED,
                AttackMode.UNTARGETED), AttackProtocol.BEARD, 9);
        ScoringPipeline.Request request = request(plan, SHARD);
        TrainedStudent student = trained(request);
        Sharded whole = whole(request, student);
        Sharded sharded = asTasks(request, student);
        assertEquals(0, sameImages(plan, whole.store(), sharded.store()));
        assertEquals(whole.result().metrics().get(AttackMode.TARGETED).rr(),
                sharded.result().metrics().get(AttackMode.TARGETED).rr());
    }

    @Test
    void shardsStartOnBatchesAndMustCoverTheTestSetToJoin() {
        assertEquals(1024, TestShard.roundedSize(1000));
        assertEquals(256, TestShard.roundedSize(1));
        assertEquals(10, TestShard.split(10_000, 1000).size());
        assertEquals(new TestShard(9216, 784), TestShard.split(10_000, 1000).get(9));
        assertThrows(IllegalArgumentException.class, () -> new TestShard(100, 256));
        Measurement four = new Measurement("FGSM", 50, 1.0, 3.0, "1010",
                new dev.bristle.ml.metrics.ImageResults(new int[4], new int[] {3, 3, 3, 3}, null));
        IllegalStateException gap = assertThrows(IllegalStateException.class, () -> ShardMerge.merge(List.of(
                new TestShard.Measured(new TestShard(0, 4), four)), 260));
        assertTrue(gap.getMessage().contains("cover 4 of 260"), gap.getMessage());
    }

    /** Compares every run's joined measurement image by image; returns how many images differ in any way. */
    private static int sameImages(AttackPlan plan, MemoryStageStore whole, MemoryStageStore sharded) {
        int differing = 0;
        for (ScoringPipeline.AttackUnit unit : AttackStage.units(plan, 10)) {
            if (unit.eps() != null) {
                assertEquals(whole.curvePoint(0, unit.mode(), unit.attack(), unit.eps()),
                        sharded.curvePoint(0, unit.mode(), unit.attack(), unit.eps()), unit.toString());
                continue;
            }
            Measurement a = whole.attackMeasurement(0, unit.mode(), unit.attack()).orElseThrow();
            Measurement b = sharded.attackMeasurement(0, unit.mode(), unit.attack()).orElseThrow();
            assertEquals(IMAGES, b.correct().length());
            for (int i = 0; i < IMAGES; i++) {
                boolean same = a.correct().charAt(i) == b.correct().charAt(i)
                        && a.images().prediction()[i] == b.images().prediction()[i]
                        && a.images().passes()[i] == b.images().passes()[i]
                        && (a.images().norm() == null || a.images().norm()[i] == b.images().norm()[i]);
                if (!same) differing++;
            }
            assertEquals(a.accuracy(), b.accuracy(), unit.toString());
            assertEquals(a.passes(), b.passes(), unit.toString());
            assertEquals(a.batchSizes(), b.batchSizes(), unit.toString());
            if (a.images().norm() != null) assertArrayEquals(a.images().norm(), b.images().norm(), unit.toString());
        }
        return differing;
    }
}
