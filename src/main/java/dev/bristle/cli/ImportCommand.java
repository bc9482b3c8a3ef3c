package dev.bristle.cli;

import dev.bristle.datasetpool.DatasetPoolManifest;
import dev.bristle.files.Digests;
import dev.bristle.modelpool.ModelPoolManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./bristle import DIR}: finds, under DIR, every checkpoint and distilled set the pool manifests
 * ({@code model-pool/*.json}, {@code dataset-pool/*.json}) list, checks its SHA-256 and copies it where the web app
 * looks for it at start-up: checkpoints into the model-pool directory, distilled sets into the data directory under
 * their manifest path (the app's start-up import then adds them to the dataset pool). No web app, no database.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {"Copy every checkpoint and distilled set the pool manifests list from DIR"
        + " (searched up to " + ImportCommand.MAX_DEPTH + " folders deep, by file name) into the configured"
        + " folders, checking each file's SHA-256: checkpoints into bristle.model-pool-dir, distilled sets into"
        + " bristle.data-dir under their manifest path. The web app lists them as available at its next start."},
        footer = {"", "exit status: 0 imported (or nothing listed found), 1 a listed file has another checksum,"
                + " 2 bad arguments"})
public final class ImportCommand implements Callable<Integer> {

    static final int MAX_DEPTH = 6;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "folder holding the files (e.g."
            + " ../shared/beard/model-pool)")
    Path directory;

    @Option(names = "--model-pool-dir", paramLabel = "DIR", description = "where checkpoints go (default:"
            + " bristle.model-pool-dir, $BRISTLE_HOME/model-pool)")
    Path modelPoolDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where distilled sets go, under their manifest"
            + " path (default: bristle.data-dir, $BRISTLE_HOME/data)")
    Path dataDir;

    /** One file a manifest lists, and where it belongs. */
    private record Listed(String pool, String fileName, String sha256, Path target) {
    }

    private enum Outcome { ADDED, PRESENT, REPLACED, MISMATCH, NOT_FOUND }

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(directory)) throw new CliUsageException("no such directory " + directory);
        PrintWriter out = spec.commandLine().getOut();
        CliDirectories directories = CliDirectories.ofSystem();
        Path models = modelPoolDir != null ? modelPoolDir : directories.modelPoolDir();
        Path data = dataDir != null ? dataDir : directories.dataDir();

        List<Listed> listed = new ArrayList<>();
        for (String name : ModelPoolManifest.ALL) {
            for (ModelPoolManifest.Model model : ModelPoolManifest.fromClasspath(name).models()) {
                listed.add(new Listed("model pool", model.file(), model.sha256(), models.resolve(model.file())));
            }
        }
        for (String name : DatasetPoolManifest.ALL) {
            for (DatasetPoolManifest.Entry entry : DatasetPoolManifest.fromClasspath(name).datasets()) {
                listed.add(new Listed("dataset pool", Path.of(entry.file()).getFileName().toString(), entry.sha256(),
                        data.resolve(entry.file())));
            }
        }
        Map<String, List<Path>> found = filesByName(directory);
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (Listed file : listed) {
            Outcome outcome = importFile(file, found.getOrDefault(file.fileName(), List.of()), out);
            counts.merge(outcome, 1, Integer::sum);
        }
        int imported = counts.getOrDefault(Outcome.ADDED, 0) + counts.getOrDefault(Outcome.REPLACED, 0);
        out.printf("%d of %d listed files found in %s: %d copied, %d already in place, %d with another checksum"
                        + " (checkpoints in %s, distilled sets under %s)%n",
                listed.size() - counts.getOrDefault(Outcome.NOT_FOUND, 0), listed.size(), directory, imported,
                counts.getOrDefault(Outcome.PRESENT, 0), counts.getOrDefault(Outcome.MISMATCH, 0), models, data);
        return counts.containsKey(Outcome.MISMATCH) ? 1 : 0;
    }

    private static Outcome importFile(Listed file, List<Path> candidates, PrintWriter out) throws IOException {
        if (candidates.isEmpty()) return Outcome.NOT_FOUND;
        Path source = null;
        String otherChecksum = null;
        for (Path candidate : candidates) {
            String sha256 = Digests.sha256(candidate);
            if (sha256.equals(file.sha256())) {
                source = candidate;
                break;
            }
            otherChecksum = candidate + " has SHA-256 " + sha256;
        }
        if (source == null) {
            out.printf("refused %s: %s, the manifest lists %s%n", file.fileName(), otherChecksum, file.sha256());
            return Outcome.MISMATCH;
        }
        boolean exists = Files.isRegularFile(file.target());
        if (exists && Digests.sha256(file.target()).equals(file.sha256())) {
            out.printf("present %s (%s)%n", file.fileName(), file.pool());
            return Outcome.PRESENT;
        }
        Files.createDirectories(file.target().getParent());
        Path temp = Files.createTempFile(file.target().getParent(), ".import-", ".part");
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            if (!Digests.sha256(temp).equals(file.sha256())) {
                throw new IOException("the copy of " + source + " in " + temp + " does not match its checksum");
            }
            Files.move(temp, file.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        out.printf("%s %s (%s) -> %s%n", exists ? "replaced" : "added", file.fileName(), file.pool(), file.target());
        return exists ? Outcome.REPLACED : Outcome.ADDED;
    }

    private static Map<String, List<Path>> filesByName(Path directory) throws IOException {
        Map<String, List<Path>> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(directory, MAX_DEPTH)) {
            walk.filter(Files::isRegularFile).sorted().forEach(path ->
                    files.computeIfAbsent(path.getFileName().toString(), k -> new ArrayList<>()).add(path));
        }
        return files;
    }
}
