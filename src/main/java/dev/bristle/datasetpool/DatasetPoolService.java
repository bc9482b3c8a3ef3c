package dev.bristle.datasetpool;

import dev.bristle.accounts.Account;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.Actor;
import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.QuotaExceeded;
import dev.bristle.config.BristleConfig;
import dev.bristle.files.BlobStore;
import dev.bristle.files.Digests;
import dev.bristle.files.StaleTemporaries;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.text.Excerpts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dataset pool: distilled sets stored by content (SHA-256) under {@code bristle.dataset-pool-dir}. Uploads and
 * start-up imports go the same way: copy to a temporary file, check everything, then move the file into place and
 * insert its row; a refused file leaves nothing behind.
 */
@ApplicationScoped
public class DatasetPoolService {

    private static final Logger LOG = Logger.getLogger(DatasetPoolService.class);
    /** A reader's message is a sentence or two; this bounds what a refusal can be made to say. */
    private static final int MAX_PROBLEM_LENGTH = 600;
    /** Admissions of the same content wait for each other (by SHA-256 stripe), so one stores it and the rest find it. */
    private final Object[] admissionLocks = java.util.stream.Stream.generate(Object::new).limit(64).toArray();

    @Inject
    UploadProblems uploadProblems;

    @Inject
    BristleConfig config;

    @Inject
    BlobStore blobs;

    @Inject
    AccountsConfig accounts;

    @Inject
    AuditService audit;

    /** What an import found. */
    public record ImportSummary(int listed, int added, int present, int missing, int refused) {
    }

    /**
     * The metadata a stored file is inserted with.
     *
     * @param quota whether {@code uploadedBy} is held to the hourly upload quota (a submitter's upload)
     */
    private record Admission(String method, DistilledFile.Declared declared, String originalName, String paperUrl,
                             String authors, String provenance, DistilledDataset.Origin origin, String uploadedBy,
                             boolean quota) {
    }

    void onStart(@Observes StartupEvent event) {
        ImportSummary s = importManifest(DatasetPoolManifest.DC_CIFAR10, config.dataDir());
        LOG.infof("dataset pool: %d distilled sets listed, %d added, %d already present, %d missing, %d refused"
                + " (data directory %s)", s.listed(), s.added(), s.present(), s.missing(), s.refused(),
                config.dataDir().toAbsolutePath());
    }

    /** Imports the manifest's sets found under {@code dataDir}; a set already in the pool is left as it is. */
    public ImportSummary importManifest(String manifestName, Path dataDir) {
        DatasetPoolManifest manifest = DatasetPoolManifest.fromClasspath(manifestName);
        int added = 0, present = 0, missing = 0, refused = 0;
        for (DatasetPoolManifest.Entry entry : manifest.datasets()) {
            Path file = dataDir.resolve(entry.file());
            if (!Files.isRegularFile(file)) {
                LOG.warnf("dataset pool: %s not found; %s", file.toAbsolutePath(), manifest.source().obtain());
                missing++;
                continue;
            }
            try {
                String sha256 = Digests.sha256(file);
                if (!sha256.equals(entry.sha256())) {
                    LOG.warnf("dataset pool: %s has SHA-256 %s, the manifest %s; not imported", file, sha256,
                            entry.sha256());
                    refused++;
                    continue;
                }
                if (findBySha256(sha256).isPresent()) {
                    present++;
                    continue;
                }
                DatasetKind dataset = DatasetKind.fromName(entry.dataset());
                Normalization normalization = entry.normalization().equals("pixels") ? Normalization.PIXELS_0_1
                        : Normalization.meanStd(dataset);
                Path temp = newTempFile();
                Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
                UploadOutcome outcome = admit(temp, new Admission(entry.method(),
                        new DistilledFile.Declared(dataset, entry.ipc(), normalization), file.getFileName().toString(),
                        manifest.source().methodPaper().get("url"), null, manifest.provenance(entry),
                        DistilledDataset.Origin.IMPORTED, null, false));
                if (outcome.created()) added++;
                else present++;
            } catch (IOException | UploadRejected e) {
                LOG.warnf("dataset pool: %s not imported: %s", file, e.getMessage());
                refused++;
            }
        }
        return new ImportSummary(manifest.datasets().size(), added, present, missing, refused);
    }

    /**
     * Checks and stores an upload: one file (res_*.pt, .npz, or a zip of MTT's two files) or MTT's two files
     * (the one whose name mentions "label" holds the labels). Throws {@link UploadRejected} listing every problem;
     * then nothing is stored.
     */
    public UploadOutcome upload(UploadForm form, List<UploadedFile> files, Actor uploader) {
        // Refused before the file is read; the insert checks again, atomically (concurrent uploads).
        if (!uploader.maintainer()) QuarkusTransaction.requiringNew().run(() -> requireUploadQuota(uploader.name()));
        List<String> problems = uploadProblems.of(form, files);
        if (!problems.isEmpty()) throw new UploadRejected(problems);

        DatasetKind dataset = DatasetKind.fromName(form.dataset());
        String method = form.method().trim();
        int ipc = Integer.parseInt(form.ipc().trim());
        Normalization normalization = form.normalization().trim().equals("pixels") ? Normalization.PIXELS_0_1
                : Normalization.meanStd(dataset);
        String paperUrl = trim(form.paperUrl());
        String authors = trim(form.authors());
        String originalName = String.join(" + ", files.stream().map(UploadedFile::fileName).toList());
        Path temp = null;
        try {
            temp = newTempFile();
            if (files.size() == 1) {
                Files.copy(files.get(0).path(), temp, StandardCopyOption.REPLACE_EXISTING);
            } else {
                UploadedFile labels = files.stream().filter(f -> UploadProblems.isLabelsFile(f.fileName())).findFirst().orElseThrow();
                UploadedFile images = files.stream().filter(f -> f != labels).findFirst().orElseThrow();
                DistilledFile.writeMttZip(images.path(), labels.path(), temp);
            }
            return admit(temp, new Admission(method, new DistilledFile.Declared(dataset, ipc, normalization),
                    originalName, paperUrl.isEmpty() ? null : paperUrl, authors.isEmpty() ? null : authors,
                    "uploaded " + Instant.now() + " as " + originalName, DistilledDataset.Origin.UPLOADED,
                    uploader.name(), !uploader.maintainer()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the upload " + originalName + ": " + e.getMessage(), e);
        } finally {
            StaleTemporaries.deleteQuietly(temp);
        }
    }

    /**
     * Adds a set Bristle distilled (a distillation job's {@code .npz}, provenance inside) to the pool, checked as an
     * upload is; {@code npz} is consumed. The same content again is answered with the existing set.
     */
    public UploadOutcome addDistilled(Path npz, Provenance provenance, String method, String dataset, int ipc,
                                      String submittedBy) throws IOException {
        DatasetKind kind = DatasetKind.fromName(dataset);
        String name = String.format(java.util.Locale.ROOT, "bristle-%s-%s-ipc%d-seed%d.npz", provenance.method(),
                kind.displayName().toLowerCase(java.util.Locale.ROOT), ipc, provenance.seed());
        Path temp = newTempFile();
        Files.move(npz, temp, StandardCopyOption.REPLACE_EXISTING);
        return admit(temp, new Admission(method, new DistilledFile.Declared(kind, ipc, Normalization.meanStd(kind)),
                name, null, "Bristle", Excerpts.cut(provenance.toJson(), 2000), DistilledDataset.Origin.DISTILLED,
                submittedBy, false));
    }

    /**
     * Checks {@code temp} (which this call consumes) against what its sender states, then stores it unless the
     * same content is already pooled. Checking comes first, so a re-upload with wrong statements is still refused.
     */
    private UploadOutcome admit(Path temp, Admission admission) throws IOException {
        try {
            DistilledFile.Checked checked;
            try {
                checked = DistilledFile.readAndCheck(temp, admission.originalName(), admission.declared());
            } catch (IOException e) {
                throw new UploadRejected(List.of("File: " + Excerpts.cut(e.getMessage(), MAX_PROBLEM_LENGTH)));
            }
            if (!checked.problems().isEmpty()) {
                throw new UploadRejected(checked.problems().stream()
                        .map(p -> "File: " + admission.originalName() + ": " + p + ".").toList());
            }
            String sha256 = Digests.sha256(temp);
            synchronized (admissionLocks[Math.floorMod(sha256.hashCode(), admissionLocks.length)]) {
                return store(temp, sha256, checked, admission);
            }
        } finally {
            StaleTemporaries.deleteQuietly(temp);
        }
    }

    /**
     * Moves {@code temp} into the pool and inserts its row, unless the content is already there. Another instance
     * sharing the database may store the same content at the same moment: then the unique key refuses the second
     * row, the upload is answered with the first one, and the file (the same bytes, under the same name) stays.
     */
    private UploadOutcome store(Path temp, String sha256, DistilledFile.Checked checked, Admission admission)
            throws IOException {
        Optional<DatasetView> existing = findBySha256(sha256);
        if (existing.isPresent()) return new UploadOutcome(existing.get(), false);
        String name = poolName(sha256, checked.format());
        long size = Files.size(temp);
        boolean moved = !blobs.exists(BlobStore.Area.DATASETS, name);
        if (moved) blobs.moveIn(BlobStore.Area.DATASETS, name, temp);
        try {
            DistilledDataset row = QuarkusTransaction.requiringNew().call(() -> {
                if (admission.quota()) requireUploadQuota(admission.uploadedBy());
                DistilledDataset inserted = insert(admission, sha256, checked, size);
                if (admission.uploadedBy() != null) {
                    audit.record(admission.uploadedBy(), "upload", "dataset", inserted.id, admission.originalName());
                }
                return inserted;
            });
            return new UploadOutcome(DatasetView.of(row), true);
        } catch (RuntimeException e) {
            Optional<DatasetView> winner = findBySha256(sha256);
            if (winner.isPresent()) return new UploadOutcome(winner.get(), false);
            if (moved) blobs.delete(BlobStore.Area.DATASETS, name);
            throw e;
        }
    }

    /**
     * Refuses a submitter's upload beyond the hourly quota. The account's row stays locked until the calling
     * transaction ends, so concurrent uploads count and insert one at a time and the quota holds.
     */
    private void requireUploadQuota(String uploader) {
        Account.lockForQuota(uploader);
        long recent = DistilledDataset.uploadsSince(uploader, Instant.now().minus(Duration.ofHours(1)));
        if (recent >= accounts.quota().uploadsPerHour()) {
            throw new QuotaExceeded(true, List.of("you stored " + recent + " upload(s) in the last hour, the most"
                    + " a submitter may (" + accounts.quota().uploadsPerHour() + "); try again later"));
        }
    }

    private static DistilledDataset insert(Admission admission, String sha256, DistilledFile.Checked checked,
                                           long size) {
        DistilledDataset row = new DistilledDataset();
        row.method = admission.method();
        row.dataset = admission.declared().dataset().displayName();
        row.ipc = admission.declared().ipc();
        row.format = checked.format().key();
        row.normalization = admission.declared().normalization().type() == Normalization.Type.PIXELS_0_1
                ? "pixels" : "mean-std";
        row.originalName = admission.originalName();
        row.sha256 = sha256;
        row.sizeBytes = size;
        row.imageCount = checked.set().count();
        row.paperUrl = admission.paperUrl();
        row.authors = admission.authors();
        row.provenance = admission.provenance();
        row.origin = admission.origin();
        row.addedAt = Instant.now();
        row.uploadedBy = admission.uploadedBy();
        row.persist();
        return row;
    }

    /** Hides a set from the pool's lists and from new jobs (its file, entries and jobs stay). */
    @Transactional
    public Optional<DatasetView> hide(long id, String maintainer) {
        return DistilledDataset.<DistilledDataset>findByIdOptional(id).map(row -> {
            row.hidden = true;
            audit.record(maintainer, "hide-dataset", "dataset", id, row.method + " " + row.dataset + " IPC " + row.ipc);
            return DatasetView.of(row);
        });
    }

    @Transactional
    public List<DatasetView> list() {
        return DistilledDataset.listOrdered().stream().map(DatasetView::of).toList();
    }

    @Transactional
    public Optional<DatasetView> find(long id) {
        return DistilledDataset.<DistilledDataset>findByIdOptional(id).map(DatasetView::of);
    }

    @Transactional
    public Optional<DatasetView> findBySha256(String sha256) {
        return DistilledDataset.findBySha256(sha256).map(DatasetView::of);
    }

    /** The stored file of an entry, on this machine (a copy in this instance's cache when the database holds it). */
    public Path file(DatasetView dataset) throws IOException {
        return blobs.local(BlobStore.Area.DATASETS, poolName(dataset.sha256(),
                DistilledFile.Format.fromKey(dataset.format())));
    }

    /** The stored set, read as its row says it is normalized. */
    public DistilledSet read(DatasetView dataset) throws IOException {
        DatasetKind kind = DatasetKind.fromName(dataset.dataset());
        Normalization normalization = dataset.normalization().equals("pixels") ? Normalization.PIXELS_0_1
                : Normalization.meanStd(kind);
        Path file;
        try {
            file = file(dataset);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("set #" + dataset.id() + " (" + dataset.method() + ", SHA-256 " + dataset.sha256()
                    + ") is not in the blob store this instance reaches (" + blobs.describe() + "); instances sharing"
                    + " one database must share the pool folders, or all store blobs in the database"
                    + " (bristle.blob-store=database)");
        }
        return DistilledFile.read(file, DistilledFile.Format.fromKey(dataset.format()), normalization);
    }

    /** Stored by content: {@code ab/abcdef....pt}. */
    private static String poolName(String sha256, DistilledFile.Format format) {
        return sha256.substring(0, 2) + "/" + sha256 + format.extension();
    }

    /** Temporary files live inside the pool directory, so moving one into place is a rename. */
    private Path newTempFile() throws IOException {
        Path directory = config.datasetPoolDir().resolve("tmp");
        Files.createDirectories(directory);
        return Files.createTempFile(directory, "upload-", ".part");
    }

    private static String trim(String text) {
        return text == null ? "" : text.trim();
    }
}
