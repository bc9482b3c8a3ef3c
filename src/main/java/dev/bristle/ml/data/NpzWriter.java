package dev.bristle.ml.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a distilled set as an {@code .npz} the dataset pool accepts ({@link DistilledReader#readNpz}):
 * {@code images.npy} (float32, N x C x H x W), {@code labels.npy} (int64) and {@code provenance.npy}, the UTF-8
 * bytes of a JSON document ({@code bytes(np.load(f)["provenance"]).decode()} in numpy). Fixed entry times, so the
 * same set always gives the same bytes and the same checksum; written to a temporary file and moved into place, so
 * a failure never leaves a half-written set.
 */
public final class NpzWriter {

    public static final String PROVENANCE_ENTRY = "provenance.npy";

    private NpzWriter() {
    }

    public static void write(Path file, DistilledSet set, String provenanceJson) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
                int[] shape = set.shape();
                ByteBuffer images = ByteBuffer.allocate(set.images().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                images.asFloatBuffer().put(set.images());
                entry(zip, "images.npy", npy("<f4", shape, images.array()));
                ByteBuffer labels = ByteBuffer.allocate(set.labels().length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int label : set.labels()) labels.putLong(label);
                entry(zip, "labels.npy", npy("<i8", new int[]{set.labels().length}, labels.array()));
                byte[] provenance = provenanceJson.getBytes(StandardCharsets.UTF_8);
                entry(zip, PROVENANCE_ENTRY, npy("|u1", new int[]{provenance.length}, provenance));
            }
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The provenance JSON of an .npz this writer made; empty for other .npz files. */
    public static java.util.Optional<String> provenance(Path file) throws IOException {
        try (dev.bristle.ml.torch.SafeZip zip = dev.bristle.ml.torch.SafeZip.open(file)) {
            if (!zip.contains(PROVENANCE_ENTRY)) return java.util.Optional.empty();
            var tensor = NpyReader.read(zip.read(PROVENANCE_ENTRY), PROVENANCE_ENTRY + " in " + file);
            return java.util.Optional.of(new String((byte[]) tensor.data(), StandardCharsets.UTF_8));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(FileTime.fromMillis(0));
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    /** A version 1.0 .npy: magic, version, header length, the header dict padded with spaces to 64 bytes, data. */
    static byte[] npy(String descr, int[] shape, byte[] data) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
                + (shape.length == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.put(data);
        return out.array();
    }
}
