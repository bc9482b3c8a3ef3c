package dev.bristle.modelpool;

import dev.bristle.config.BristleConfig;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The model pool: imports the published checkpoints listed in the {@code model-pool/} manifests at start-up
 * (idempotently: one row per file, refreshed on every start) and answers the pool pages.
 */
@ApplicationScoped
public class ModelPoolService {

    private static final Logger LOG = Logger.getLogger(ModelPoolService.class);

    @Inject
    BristleConfig config;

    @Inject
    BlobStore blobs;

    /** What an import found. */
    public record ImportSummary(int listed, int available, int missing, int mismatched) {
    }

    void onStart(@Observes StartupEvent event) {
        ImportSummary summary = importPublished(config.modelPoolDir());
        LOG.infof("model pool: %d published students listed, %d available, %d missing, %d with a wrong checksum"
                        + " (directory %s)", summary.listed(), summary.available(), summary.missing(),
                summary.mismatched(), config.modelPoolDir().toAbsolutePath());
    }

    /** Imports or refreshes the entries of BEARD's manifest, looking for the files in {@code directory}. */
    @Transactional
    public ImportSummary importPublished(Path directory) {
        ModelPoolManifest manifest = ModelPoolManifest.fromClasspath(ModelPoolManifest.BEARD);
        int available = 0;
        int missing = 0;
        int mismatched = 0;
        for (ModelPoolManifest.Model listed : manifest.models()) {
            BeardCheckpointName name = BeardCheckpointName.parse(listed.file());
            PoolModel model = PoolModel.findByFile(PoolModel.Origin.PUBLISHED, listed.file()).orElseGet(PoolModel::new);
            model.origin = PoolModel.Origin.PUBLISHED;
            model.fileName = listed.file();
            model.method = name.method();
            model.dataset = name.dataset().label();
            model.ipc = name.ipc();
            model.architecture = name.architecture();
            model.reportedAccuracy = name.reportedAccuracy();
            model.expectedSha256 = listed.sha256();
            model.provenance = manifest.provenance();
            inspectFile(model, directory, listed.file(), manifest.howToObtain());
            switch (model.status) {
                case AVAILABLE -> available++;
                case MISSING -> missing++;
                case CHECKSUM_MISMATCH -> mismatched++;
            }
            if (model.importedAt == null) {
                model.importedAt = Instant.now();
            }
            model.persist();
        }
        return new ImportSummary(manifest.models().size(), available, missing, mismatched);
    }

    /** Pages show the status message: it names the file in the model pool's folder, never the server's folders. */
    private static void inspectFile(PoolModel model, Path directory, String name, String howToObtain) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            model.status = ModelStatus.MISSING;
            model.actualSha256 = null;
            model.sizeBytes = null;
            model.statusMessage = "Not found: " + name + " is not in the model pool's folder. Get it from "
                    + howToObtain + ".";
            return;
        }
        try {
            model.sizeBytes = Files.size(file);
            model.actualSha256 = Digests.sha256(file);
        } catch (IOException e) {
            model.status = ModelStatus.MISSING;
            model.statusMessage = "Cannot read " + name + " in the model pool's folder ("
                    + e.getClass().getSimpleName() + ").";
            return;
        }
        if (model.actualSha256.equals(model.expectedSha256)) {
            model.status = ModelStatus.AVAILABLE;
            model.statusMessage = null;
        } else {
            model.status = ModelStatus.CHECKSUM_MISMATCH;
            model.statusMessage = "The file's SHA-256 is " + model.actualSha256 + ", the published one "
                    + model.expectedSha256 + ": it is not the published checkpoint.";
        }
    }

    /** Student {@code index} trained by scoring job {@code jobId}, as pooled. */
    @Transactional
    public Optional<ModelView> trainedStudent(long jobId, int index) {
        return PoolModel.findTrained(jobId, index).map(ModelView::of);
    }

    /**
     * The file of a pooled model on this machine: a published checkpoint (the model-pool folder), or a student a job
     * trained (from the blob store).
     */
    public Path file(ModelView model) throws IOException {
        return "trained".equals(model.origin()) ? blobs.local(BlobStore.Area.STUDENTS, model.fileName())
                : config.modelPoolDir().resolve(model.fileName());
    }

    /**
     * Adds a student that scoring job {@code jobId} trained on a set of {@code method}, {@code dataset} and
     * {@code ipc} to the pool (its file already in the blob store).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long addTrainedStudent(long jobId, int index, String method, String dataset, int ipc, String fileName,
                                  String sha256, long size, String provenance) {
        PoolModel model = new PoolModel();
        model.origin = PoolModel.Origin.TRAINED;
        model.method = method;
        model.dataset = dataset;
        model.ipc = ipc;
        model.architecture = "ConvNet";
        model.fileName = fileName;
        model.expectedSha256 = sha256;
        model.actualSha256 = sha256;
        model.sizeBytes = size;
        model.provenance = provenance;
        model.status = ModelStatus.AVAILABLE;
        model.importedAt = Instant.now();
        model.scoringJobId = jobId;
        model.studentIndex = index;
        model.persist();
        return model.id;
    }

    /** Records the clean accuracy a job measured on the student it trained. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordTrainedAccuracy(long jobId, int index, double accuracy) {
        PoolModel.findTrained(jobId, index).ifPresent(m -> m.reportedAccuracy = Math.round(accuracy * 100) / 100.0);
    }

    /** Published checkpoints of {@code method} on {@code dataset} (for its entry page's re-measurements). */
    @Transactional
    public List<ModelView> published(String dataset, String method) {
        return PoolModel.publishedOf(dataset, method).stream().map(ModelView::of).toList();
    }

    /** Records the training curve of student {@code index} of job {@code jobId}. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordTrainingCurve(long jobId, int index, List<TrainingPoint> curve) {
        PoolModel.findTrained(jobId, index).ifPresent(m -> m.trainingCurve = new ArrayList<>(curve));
    }

    /** A pooled student's training curve; empty for published checkpoints. */
    @Transactional
    public List<TrainingPoint> trainingCurve(long id) {
        return PoolModel.<PoolModel>findByIdOptional(id).map(m -> List.copyOf(m.trainingCurve)).orElse(List.of());
    }

    /** How to obtain the published checkpoints, as their manifest says. */
    public String howToObtain() {
        return ModelPoolManifest.fromClasspath(ModelPoolManifest.BEARD).howToObtain();
    }

    @Transactional
    public List<ModelView> list() {
        return PoolModel.listOrdered().stream().map(ModelView::of).toList();
    }

    @Transactional
    public Optional<ModelView> find(long id) {
        return PoolModel.<PoolModel>findByIdOptional(id).map(ModelView::of);
    }
}
