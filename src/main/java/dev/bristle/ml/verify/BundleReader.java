package dev.bristle.ml.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordJson;
import dev.bristle.ml.torch.SafeZip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a submission bundle that came from outside, as hard as any upload is read: the zip through {@link SafeZip}
 * (signature, layout, no bytes after the archive, compression ratio, CRC-32, declared against produced sizes), a cap
 * per entry and in total, only the files a bundle has (a manifest, a record, one set, students 0 to N - 1 under fixed
 * names), the manifest and the record parsed strictly. The state dicts are unpickled later, when a check asks, by the
 * safe unpickler and its {@code PickleAllowance}. A bundle it refuses is the submitter's mistake: an
 * {@link InvalidInputException} with a short message that names no server path and echoes nothing of the input.
 */
public final class BundleReader {

    /**
     * @param maxTotalBytes   uncompressed bytes of all entries together
     * @param maxSetBytes     the set's bytes
     * @param maxStudentBytes one state dict's bytes
     * @param maxRecordBytes  the record's bytes (a full record of 10,000 images, 5 students, 18 attack runs: ~100 MB)
     * @param maxStudents     students in a bundle
     */
    public record Limits(long maxTotalBytes, long maxSetBytes, long maxStudentBytes, long maxRecordBytes,
                         int maxStudents) {
        public static final Limits DEFAULT = new Limits(1L << 30, 512L << 20, 64L << 20, 384L << 20, 20);
    }

    private static final long MAX_MANIFEST_BYTES = 1 << 20;
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern STUDENT = Pattern.compile(Pattern.quote(BundleManifest.STUDENT_PREFIX)
            + "(0|[1-9][0-9]{0,2})" + Pattern.quote(BundleManifest.STUDENT_SUFFIX));

    private BundleReader() {
    }

    public static Bundle read(Path zipFile) throws IOException {
        return read(zipFile, Limits.DEFAULT);
    }

    public static Bundle read(Path zipFile, Limits limits) throws IOException {
        return read(zipFile, limits, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Reads and checks {@code zipFile}, extracting it into a new folder under {@code workFolder} (a server passes
     * its own temporaries' folder, which it sweeps at start-up after a crash); the caller closes the bundle, which
     * deletes what was extracted.
     */
    public static Bundle read(Path zipFile, Limits limits, Path workFolder) throws IOException {
        if (!Files.isRegularFile(zipFile)) throw new InvalidInputException("no bundle file to read");
        if (Files.size(zipFile) > limits.maxTotalBytes()) {
            throw new InvalidInputException("the bundle is larger than " + limits.maxTotalBytes() + " bytes");
        }
        Files.createDirectories(workFolder);
        Path folder = Files.createTempDirectory(workFolder, "bristle-bundle-");
        boolean done = false;
        try (SafeZip zip = open(zipFile, limits)) {
            List<String> names = zip.names();
            String setName = layout(names, limits);
            BundleManifest manifest = manifest(zip);
            Map<String, Path> files = new HashMap<>();
            Map<String, String> sha = new HashMap<>();
            Map<String, Long> sizes = new HashMap<>();
            List<String> entries = names.stream().filter(n -> !n.equals(BundleManifest.NAME)).toList();
            for (int i = 0; i < entries.size(); i++) {
                String name = entries.get(i);
                Path file = folder.resolve("entry-" + i);
                extract(zip, name, file, cap(name, limits));
                files.put(name, file);
                sha.put(name, Sha256.of(file));
                sizes.put(name, Files.size(file));
            }
            EvaluationRecord record;
            try (InputStream in = Files.newInputStream(files.get(BundleManifest.RECORD))) {
                record = EvaluationRecords.read(in);
            }
            int students = (int) entries.stream().filter(n -> n.startsWith(BundleManifest.STUDENT_PREFIX)).count();
            if (students != record.students().size()) {
                throw new InvalidInputException("the bundle holds " + students + " state dict(s), its record "
                        + record.students().size() + " student(s)");
            }
            Bundle bundle = new Bundle(folder, manifest, record, entries, files, sha, sizes, setName);
            done = true;
            return bundle;
        } finally {
            if (!done) new Bundle(folder, null, null, List.of(), Map.of(), Map.of(), Map.of(), null).close();
        }
    }

    private static SafeZip open(Path zipFile, Limits limits) throws IOException {
        try {
            return SafeZip.open(zipFile, new SafeZip.Limits(limits.maxTotalBytes(), SafeZip.Limits.DEFAULT.maxRatio()));
        } catch (IOException e) {
            throw new InvalidInputException("the bundle is not a zip archive this server reads (damaged, truncated,"
                    + " encrypted, too large or too compressed)");
        }
    }

    /** Checks the entry names; returns the set's file name. */
    private static String layout(List<String> names, Limits limits) {
        if (!names.contains(BundleManifest.NAME)) throw new InvalidInputException("the bundle has no manifest.json");
        if (!names.contains(BundleManifest.RECORD)) throw new InvalidInputException("the bundle has no record.json");
        if (names.stream().distinct().count() != names.size()) {
            throw new InvalidInputException("the bundle holds a file name twice");
        }
        String set = null;
        boolean[] students = new boolean[limits.maxStudents()];
        int count = 0;
        for (String name : names) {
            if (name.equals(BundleManifest.NAME) || name.equals(BundleManifest.RECORD)) continue;
            if (name.startsWith(BundleManifest.SET_FOLDER)
                    && SET_NAME.matcher(name.substring(BundleManifest.SET_FOLDER.length())).matches()) {
                if (set != null) throw new InvalidInputException("the bundle holds more than one set");
                set = name.substring(BundleManifest.SET_FOLDER.length());
                continue;
            }
            Matcher student = STUDENT.matcher(name);
            if (student.matches()) {
                int index = Integer.parseInt(student.group(1));
                if (index >= limits.maxStudents()) {
                    throw new InvalidInputException("a bundle holds at most " + limits.maxStudents() + " students");
                }
                students[index] = true;
                count++;
                continue;
            }
            throw new InvalidInputException("the bundle holds a file that does not belong in it (only manifest.json,"
                    + " record.json, set/FILE and students/student-N.pt do)");
        }
        if (set == null) throw new InvalidInputException("the bundle has no set (set/FILE)");
        for (int i = 0; i < count; i++) {
            if (!students[i]) throw new InvalidInputException("the bundle's students must be numbered 0 to N - 1");
        }
        if (count == 0) throw new InvalidInputException("the bundle has no student");
        return set;
    }

    private static BundleManifest manifest(SafeZip zip) throws IOException {
        byte[] bytes;
        try {
            bytes = readCapped(zip, BundleManifest.NAME, MAX_MANIFEST_BYTES);
        } catch (IOException e) {
            throw new InvalidInputException("the bundle's manifest.json is damaged or too large");
        }
        BundleManifest manifest;
        try {
            manifest = RecordJson.MAPPER.readValue(bytes, BundleManifest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the bundle's manifest.json is not a manifest");
        }
        if (!BundleManifest.FORMAT.equals(manifest.format())) {
            throw new InvalidInputException("not a Bristle submission bundle (manifest format)");
        }
        if (manifest.version() != BundleManifest.VERSION) {
            throw new InvalidInputException("this server reads bundles of version " + BundleManifest.VERSION + " only");
        }
        if (manifest.files() == null || manifest.files().stream().anyMatch(f -> f == null || f.name() == null
                || f.sha256() == null)) {
            throw new InvalidInputException("the bundle's manifest must list every file with its size and SHA-256");
        }
        return manifest;
    }

    private static long cap(String name, Limits limits) {
        if (name.equals(BundleManifest.RECORD)) return limits.maxRecordBytes();
        if (name.startsWith(BundleManifest.SET_FOLDER)) return limits.maxSetBytes();
        return limits.maxStudentBytes();
    }

    private static byte[] readCapped(SafeZip zip, String name, long cap) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        zip.copy(name, new Capped(out, cap));
        return out.toByteArray();
    }

    private static void extract(SafeZip zip, String name, Path file, long cap) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            zip.copy(name, new Capped(out, cap));
        } catch (CapExceeded e) {
            throw new InvalidInputException(what(name) + " is larger than " + cap + " bytes");
        } catch (IOException e) {
            throw new InvalidInputException(what(name) + " is damaged or larger than its zip header declares");
        }
    }

    private static String what(String name) {
        if (name.equals(BundleManifest.RECORD)) return "the bundle's record.json";
        if (name.startsWith(BundleManifest.SET_FOLDER)) return "the bundle's set";
        return "a state dict in the bundle";
    }

    private static final class CapExceeded extends IOException {
        CapExceeded() {
            super("cap exceeded");
        }
    }

    /** Fails as soon as more than {@code cap} bytes are written. */
    private static final class Capped extends java.io.FilterOutputStream {
        private final long cap;
        private long written;

        Capped(OutputStream out, long cap) {
            super(out);
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > cap) throw new CapExceeded();
            out.write(b, off, len);
        }
    }
}
