package dev.bristle.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * The finished pieces of a scoring job that its tasks store with the job and a resumed task reuses: the students found
 * trained, clean accuracies, attack measurements, curve points and gradient censuses. Each read and each write is one
 * short transaction; writes change the stored results under the job row's lock.
 */
@ApplicationScoped
public class JobPieces {

    @Inject
    ObjectMapper json;

    /** Which students the training task found already trained (a resumed job), for the job's summary. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordReused(long id, List<Boolean> reused) {
        update(id, results -> {
            results.reusedStudents().clear();
            for (int i = 0; i < reused.size(); i++) if (reused.get(i)) results.reusedStudents().add(i);
        });
    }

    /** A job's results as stored now: what its assembly joins its runs into ({@link AssemblyStore}). */
    @Transactional
    JobResults stored(long id) {
        return results(id);
    }

    @Transactional
    public OptionalDouble cleanAccuracy(long id, int index) {
        return results(id).cleanAccuracy(index);
    }

    /** Records a student's clean accuracy with the job, so a resumed job does not measure it again. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordCleanAccuracy(long id, int index, double accuracy) {
        update(id, results -> results.recordClean(index, accuracy));
    }

    /** A student's stored measurement of one attack in one mode. */
    @Transactional
    public Optional<Measurement> attackMeasurement(long id, int index, AttackMode mode, String attack) {
        return results(id).attack(index, mode, attack);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordAttack(long id, int index, AttackMode mode, Measurement measurement) {
        update(id, results -> results.recordAttack(index, mode, measurement));
    }

    /** A student's stored accuracy under one attack at one grid budget. */
    @Transactional
    public OptionalDouble curvePoint(long id, int index, AttackMode mode, String attack, double eps) {
        return results(id).curvePoint(index, mode, attack, eps);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordCurvePoint(long id, int index, AttackMode mode, String attack, double eps, double accuracy) {
        update(id, results -> results.recordCurvePoint(index, mode, attack, eps, accuracy));
    }

    private JobResults results(long id) {
        return read(ScoringJob.<ScoringJob>findById(id).results);
    }

    /** Read, change, write under the job row's lock: tasks on several instances add their pieces at once. */
    private void update(long id, Consumer<JobResults> change) {
        ScoringJob job = ScoringJob.findById(id, LockModeType.PESSIMISTIC_WRITE);
        JobResults results = read(job.results);
        change.accept(results);
        job.results = write(results);
    }

    /** A student's stored zero-gradient census at the clean point. */
    @Transactional
    public Optional<GradientCensus> gradientCensus(long id, int index) {
        return Optional.ofNullable(results(id).gradients().get(index));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordGradientCensus(long id, int index, GradientCensus census) {
        update(id, results -> results.gradients().put(index, census));
    }

    /** A job's stored results column read back; empty when nothing was stored yet. */
    JobResults read(String stored) {
        if (stored == null || stored.isBlank()) return JobResults.empty();
        try {
            return json.readValue(stored, JobResults.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable job results: " + e.getOriginalMessage(), e);
        }
    }

    /** A job's column (its settings, its results) as stored. */
    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job JSON: " + e.getOriginalMessage(), e);
        }
    }
}
