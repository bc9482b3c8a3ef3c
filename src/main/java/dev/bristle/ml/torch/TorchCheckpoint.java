package dev.bristle.ml.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes {@code torch.save} zip archives (torch 1.6 and later): {@code <prefix>/data.pkl} holds the object
 * tree, whose tensors reference raw little-endian storages {@code <prefix>/data/<key>} through persistent ids
 * {@code ('storage', storage_type, key, location, numel)}.
 */
public final class TorchCheckpoint {

    private static final String PICKLE = "data.pkl";
    /** torch aligns storage data to 64 bytes inside the archive so it can be memory-mapped. */
    private static final int STORAGE_ALIGNMENT = 64;
    private static final int PADDING_EXTRA_ID = 0x4246; // "FB", the extra field torch pads with

    private TorchCheckpoint() {
    }

    /** The whole object tree of a checkpoint, as {@link SafeUnpickler} values with tensors as {@link HostTensor}. */
    public static Object read(Path file) throws IOException {
        return read(file, SafeZip.Limits.DEFAULT);
    }

    public static Object read(Path file, SafeZip.Limits limits) throws IOException {
        try (SafeZip zip = SafeZip.open(file, limits)) {
            String prefix = archivePrefix(zip);
            if (zip.contains(prefix + "byteorder")) {
                String order = new String(zip.read(prefix + "byteorder"), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) {
                    throw new TorchFormatException(file + " stores its tensors in '" + order
                            + "' byte order; only little-endian checkpoints are supported");
                }
            }
            String source = prefix + PICKLE + " in " + file;
            Map<String, TorchStorage> storages = new HashMap<>();
            SafeUnpickler.PersistentLoader loader = (pid, where) -> storage(zip, prefix, pid, where, storages);
            // The tensors may take as many bytes as the archive may hold: many views of one storage are each copied.
            SafeUnpickler.Limits pickleLimits = SafeUnpickler.Limits.DEFAULT.withMaxTensorBytes(limits.maxTotalBytes());
            return new SafeUnpickler(source, loader, pickleLimits).load(zip.read(prefix + PICKLE));
        }
    }

    /** A checkpoint whose top object maps parameter names to tensors (a {@code state_dict}), in file order. */
    public static LinkedHashMap<String, HostTensor> readStateDict(Path file) throws IOException {
        Object top = read(file);
        if (!(top instanceof Map<?, ?> map)) {
            throw new TorchFormatException(file + " holds " + SafeUnpickler.describe(top)
                    + ", not a state_dict (a mapping of parameter names to tensors)");
        }
        LinkedHashMap<String, HostTensor> tensors = new LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof HostTensor tensor)) {
                throw new TorchFormatException(file + " is not a state_dict: entry " + SafeUnpickler.describe(entry.getKey())
                        + " holds " + SafeUnpickler.describe(entry.getValue()) + " instead of a tensor (top-level keys: "
                        + SafeUnpickler.describeKeys(map) + ")");
            }
            tensors.put(name, tensor);
        }
        return tensors;
    }

    /**
     * Writes a state_dict that {@code torch.load} reads: protocol-2 pickle of an OrderedDict of
     * {@code _rebuild_tensor_v2} calls, one CPU storage per tensor, entries stored uncompressed and 64-byte aligned.
     * The file is written beside the target and moved into place, so a failure leaves any previous file intact.
     */
    public static void writeStateDict(Map<String, HostTensor> tensors, Path file) throws IOException {
        write(statePickle(tensors), List.copyOf(tensors.values()), file);
    }

    /** Writes one bare tensor, as {@code torch.save(tensor, file)} does (MTT's images_best.pt, for example). */
    public static void writeTensor(HostTensor tensor, Path file) throws IOException {
        PickleWriter p = new PickleWriter();
        tensorCall(p, tensor, 0);
        write(p.stop(), List.of(tensor), file);
    }

    private static void write(byte[] pickle, List<HostTensor> storages, Path file) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String prefix = (stem.isEmpty() ? "archive" : stem.replaceAll("[^A-Za-z0-9_.-]", "_")) + "/";
        Path absolute = file.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + file.getFileName(), ".part");
        try {
            try (var counter = new CountingOutputStream(Files.newOutputStream(temp));
                 var zip = new ZipOutputStream(counter)) {
                putStored(zip, counter, prefix + PICKLE, pickle);
                int key = 0;
                for (HostTensor tensor : storages) {
                    putStored(zip, counter, prefix + "data/" + key++, littleEndianBytes(tensor));
                }
                putStored(zip, counter, prefix + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String archivePrefix(SafeZip zip) throws TorchFormatException {
        List<String> pickles = zip.names().stream()
                .filter(n -> n.endsWith("/" + PICKLE) && n.indexOf('/') == n.length() - PICKLE.length() - 1)
                .toList();
        if (pickles.size() != 1) {
            throw new TorchFormatException(zip.file() + " is a zip but not a torch checkpoint: expected one <name>/"
                    + PICKLE + " entry, found " + (pickles.isEmpty() ? "none" : pickles.size()) + " among " + zip.names().size()
                    + " entries");
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - PICKLE.length());
    }

    private static TorchStorage storage(SafeZip zip, String prefix, Object pid, String where,
                                        Map<String, TorchStorage> loaded) throws TorchFormatException {
        if (!(pid instanceof List<?> id) || id.size() != 5 || !"storage".equals(id.get(0))
                || !(id.get(1) instanceof TorchStorageType type) || !(id.get(2) instanceof String key)) {
            throw new TorchFormatException("persistent id " + where + " is not ('storage', torch.<Type>Storage, key,"
                    + " location, numel)");
        }
        long numel = AllowedGlobal.integer(id.get(4), "storage element count", where);
        TorchStorage cached = loaded.get(key);
        if (cached != null) return cached;
        String name = prefix + "data/" + key;
        if (!zip.contains(name)) {
            throw new TorchFormatException("storage " + name + " referenced " + where + " is missing from the archive "
                    + zip.file());
        }
        byte[] bytes;
        try {
            bytes = zip.read(name);
        } catch (TorchFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new TorchFormatException("cannot read storage " + name + " of " + zip.file() + ": " + e.getMessage(), e);
        }
        long expected = numel * type.elementType().byteSize();
        if (bytes.length != expected) {
            throw new TorchFormatException("storage " + name + " in " + zip.file() + " has " + bytes.length
                    + " bytes, but its persistent id declares " + numel + " " + type + " elements (" + expected + " bytes)");
        }
        TorchStorage storage = new TorchStorage(name + " in " + zip.file(), type, ByteBuffer.wrap(bytes));
        loaded.put(key, storage);
        return storage;
    }

    private static byte[] statePickle(Map<String, HostTensor> tensors) {
        PickleWriter p = new PickleWriter();
        p.global("collections", "OrderedDict").emptyTuple().reduce().mark();
        int key = 0;
        for (var entry : tensors.entrySet()) {
            p.unicode(entry.getKey());
            tensorCall(p, entry.getValue(), key++);
        }
        return p.setItems().stop();
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, contiguous stride, False, OrderedDict())} on storage {@code key}. */
    private static void tensorCall(PickleWriter p, HostTensor tensor, int key) {
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().unicode("storage").global("torch", TorchStorageType.forHostType(tensor.dtype()).name())
                .unicode(String.valueOf(key)).unicode("cpu").integer(tensor.elementCount()).tuple().binPersId();
        p.integer(0).integers(tensor.shape()).integers(StridedView.contiguousStrides(tensor.shape()))
                .bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }

    private static byte[] littleEndianBytes(HostTensor tensor) {
        int count = Math.toIntExact(tensor.elementCount());
        return switch (tensor.dtype()) {
            case FLOAT32 -> {
                ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(tensor.floats());
                yield b.array();
            }
            case INT64 -> {
                ByteBuffer b = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(tensor.longs());
                yield b.array();
            }
            case UINT8 -> ((byte[]) tensor.data()).clone();
        };
    }

    private static void putStored(ZipOutputStream zip, CountingOutputStream counter, String name, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTime(315532800000L + 12L * 3600 * 1000); // a fixed date (1980-01-01) keeps output reproducible
        long dataStart = counter.count() + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int padding = (int) ((STORAGE_ALIGNMENT - dataStart % STORAGE_ALIGNMENT) % STORAGE_ALIGNMENT);
        ByteBuffer extra = ByteBuffer.allocate(4 + padding).order(ByteOrder.LITTLE_ENDIAN);
        extra.putShort((short) PADDING_EXTRA_ID).putShort((short) padding);
        entry.setExtra(extra.array());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
