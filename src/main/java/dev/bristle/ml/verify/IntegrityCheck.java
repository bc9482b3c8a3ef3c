package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.train.TrainingConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Integrity: every file is the manifest's (size and SHA-256, none missing, none extra), the set is the one the record
 * names and each state dict the student's, the record's schema and protocol versions are ones this server verifies,
 * the settings are the protocol's official ones on the official test split, and the seeds are the official seeds of
 * the set, so a submitter cannot have trained many students and kept the luckiest.
 */
final class IntegrityCheck {

    private static final double BUDGET_TOLERANCE = 1e-9;

    private IntegrityCheck() {
    }

    static CheckOutcome run(Bundle bundle, VerificationContext context) {
        List<String> problems = new ArrayList<>();
        files(bundle, problems);
        EvaluationRecord record = bundle.record();
        RunSettings settings = record.settings();
        if (record.subject().set() == null) {
            problems.add("the record is of a checkpoint: only a set's official run can be submitted");
        } else {
            if (!bundle.setName().equals(record.subject().set().file())) {
                problems.add("the bundle's set is not the file the record names");
            }
            if (!bundle.sha256(bundle.setEntry()).equals(record.subject().set().sha256())) {
                problems.add("the bundle's set is not the set the record scored (SHA-256 differs)");
            }
        }
        for (EvaluationRecord.StudentOutcome student : record.students()) {
            String sha = bundle.sha256(BundleManifest.studentName(student.index()));
            if (sha == null || !sha.equals(student.stateDictSha256())) {
                problems.add("student " + (student.index() + 1) + "'s state dict is not the one the record names");
            }
        }
        if (!EvaluationRecords.SUPPORTED_VERSIONS.contains(record.schemaVersion())) {
            problems.add("record schema version " + record.schemaVersion() + " is not one this server verifies");
        }
        AttackProtocol protocol = protocol(settings.protocol());
        if (protocol == null) {
            problems.add("the record's protocol is unknown here");
        } else {
            if (protocol.version() != settings.protocolVersion()) {
                problems.add(protocol.key() + " protocol version " + settings.protocolVersion() + " is not this"
                        + " server's (" + protocol.version() + ")");
            }
            official(record, protocol, context, problems);
        }
        seeds(bundle, record, problems);
        String summary = problems.isEmpty()
                ? String.format(java.util.Locale.ROOT, "all %d files match the manifest; the set, the %d state dicts,"
                        + " the official settings and the official seeds are the record's", bundle.entries().size(),
                record.students().size())
                : String.join("; ", problems);
        return new CheckOutcome(VerificationCheck.INTEGRITY, problems.isEmpty(), summary, 0, null, null, List.of(),
                null, 0);
    }

    private static void files(Bundle bundle, List<String> problems) {
        Map<String, BundleManifest.FileEntry> listed = new HashMap<>();
        for (BundleManifest.FileEntry entry : bundle.manifest().files()) listed.put(entry.name(), entry);
        if (listed.size() != bundle.manifest().files().size()) problems.add("the manifest lists a file twice");
        Set<String> present = new HashSet<>(bundle.entries());
        int changed = 0;
        for (String name : bundle.entries()) {
            BundleManifest.FileEntry entry = listed.get(name);
            if (entry == null) {
                problems.add("the manifest does not list " + name);
            } else if (entry.size() != bundle.size(name) || !entry.sha256().equals(bundle.sha256(name))) {
                problems.add(name + " differs from the manifest (size or SHA-256)");
                changed++;
            }
        }
        for (String name : listed.keySet()) {
            if (!present.contains(name)) problems.add("a file the manifest lists is missing from the bundle");
        }
        if (changed > 0 && problems.size() > 3) problems.add(changed + " file(s) changed");
    }

    /** The settings must be the official ones, on the official test split as read here. */
    private static void official(EvaluationRecord record, AttackProtocol protocol, VerificationContext context,
                                 List<String> problems) {
        RunSettings settings = record.settings();
        OfficialSettings official = context.official();
        if (official.protocol() != protocol) {
            problems.add("the server's official settings are not the record's protocol's");
            return;
        }
        int split = context.testSet().splitSize();
        List<String> differences = official.differences(new OfficialSettings.Run(settings.protocol(),
                settings.students(), settings.epochs(), settings.attacks(), settings.modes()),
                record.testSet().images(), split, record.testSet().copy());
        if (!differences.isEmpty()) problems.add("not the official settings: " + String.join(", ", differences));
        if (record.testSet().splitSize() != split) {
            problems.add("the record's test split has " + record.testSet().splitSize() + " images, the official one "
                    + split);
        }
        if (context.testSetSha256() != null && record.testSet().sha256() != null
                && !context.testSetSha256().equals(record.testSet().sha256())) {
            problems.add("the record's test files are not the official ones (SHA-256 differs)");
        }
        DatasetKind dataset;
        try {
            dataset = DatasetKind.fromName(record.subject().dataset());
        } catch (InvalidInputException e) {
            problems.add("the record's dataset is unknown here");
            return;
        }
        AttackBudgets budgets = AttackBudgets.of(protocol, dataset);
        if (Math.abs(budgets.linf() - settings.epsLinf()) > BUDGET_TOLERANCE
                || Math.abs(budgets.l2() - settings.epsL2()) > BUDGET_TOLERANCE) {
            problems.add("the record's budgets are not the protocol's for " + dataset);
        }
    }

    private static void seeds(Bundle bundle, EvaluationRecord record, List<String> problems) {
        RunSettings settings = record.settings();
        OfficialSeeds seeds = OfficialSeeds.of(bundle.sha256(bundle.setEntry()));
        if (!settings.officialSeeds() || settings.seed() != seeds.training() || settings.attackSeed() != seeds.attacks()) {
            problems.add("the seeds are not the set's official seeds");
            return;
        }
        TrainingConfig training = TrainingConfig.beard(1, settings.seed()).withStudents(settings.students());
        for (EvaluationRecord.StudentOutcome student : record.students()) {
            if (student.seed() != training.studentSeed(student.index())) {
                problems.add("student " + (student.index() + 1) + "'s seed is not the one the official seed gives");
            }
        }
    }

    private static AttackProtocol protocol(String key) {
        try {
            return AttackProtocol.fromKey(key);
        } catch (InvalidInputException e) {
            return null;
        }
    }
}
