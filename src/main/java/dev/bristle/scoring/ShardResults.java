package dev.bristle.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestShard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The measured shards of a job's attack runs in the database, each in a row of its own until the job succeeds (its
 * runs joined into its results by then).
 */
@ApplicationScoped
public class ShardResults {

    @Inject
    ObjectMapper json;

    /** Student {@code index}'s stored measurements of one attack run's shards, in image order. */
    @Transactional
    public List<TestShard.Measured> of(long jobId, int index, ScoringPipeline.AttackUnit unit) {
        return AttackShardResult.of(jobId, index, unit.attack(), unit.mode().key(), unit.eps()).stream()
                .map(r -> new TestShard.Measured(new TestShard(r.shardStart, r.shardImages), read(r))).toList();
    }

    /**
     * Stores one measured shard of a student's attack run, under the job row's lock: a shard measured again (its task
     * re-run after its instance was taken for dead) replaces its earlier row rather than adding a second.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(long jobId, int index, ScoringPipeline.AttackUnit unit, TestShard.Measured measured) {
        ScoringJob.findById(jobId, LockModeType.PESSIMISTIC_WRITE);
        AttackShardResult.deleteShard(jobId, index, unit.attack(), unit.mode().key(), unit.eps(),
                measured.shard().start());
        AttackShardResult row = new AttackShardResult();
        row.jobId = jobId;
        row.studentIndex = index;
        row.attack = unit.attack();
        row.attackMode = unit.mode().key();
        row.eps = unit.eps();
        row.shardStart = measured.shard().start();
        row.shardImages = measured.shard().count();
        try {
            row.measurement = json.writeValueAsString(measured.measurement());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a shard's measurement: " + e.getOriginalMessage(), e);
        }
        row.persist();
    }

    private Measurement read(AttackShardResult row) {
        try {
            return json.readValue(row.measurement, Measurement.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job #" + row.jobId + " has an unreadable shard measurement: "
                    + e.getOriginalMessage(), e);
        }
    }
}
