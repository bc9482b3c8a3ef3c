package dev.bristle.ml.data;

import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.NumpyDType;
import dev.bristle.ml.torch.StridedView;
import dev.bristle.ml.torch.TorchFormatException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code .npy} array (format versions 1 to 3): magic {@code \x93NUMPY}, version, header length, a Python dict
 * literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (10, 3, 32, 32), }}, then the raw C-order data.
 */
final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** numpy pads its headers to 64 bytes and rarely needs more than 128; a long one is damage or a trap. */
    private static final int MAX_HEADER_BYTES = 4096;
    private static final int MAX_DIMENSIONS = 8;

    private NpyReader() {
    }

    static HostTensor read(byte[] npy, String source) throws DatasetFormatException {
        if (npy.length < 10 || !Arrays.equals(Arrays.copyOf(npy, 6), MAGIC)) {
            throw new DatasetFormatException(source + " is not a .npy array (no \\x93NUMPY magic)");
        }
        int major = npy[6];
        ByteBuffer in = ByteBuffer.wrap(npy).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = in.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (npy.length < 12) throw new DatasetFormatException(source + " ends inside its .npy header (truncated?)");
            headerLength = in.getInt(8);
            headerStart = 12;
        } else {
            throw new DatasetFormatException(source + " has .npy format version " + major + "; versions 1 to 3 are known");
        }
        if (headerLength < 0 || (long) headerStart + headerLength > npy.length) {
            throw new DatasetFormatException(source + ": its .npy header declares " + Integer.toUnsignedString(headerLength)
                    + " bytes, the file has " + (npy.length - headerStart) + " after it (truncated or damaged)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new DatasetFormatException(source + ": its .npy header is " + headerLength + " bytes; numpy writes"
                    + " a few hundred, at most " + MAX_HEADER_BYTES + " are accepted");
        }
        String header = new String(npy, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, "descr", source);
        if (find(FORTRAN, header, "fortran_order", source).equals("True")) {
            throw new DatasetFormatException(source + " is stored in Fortran order; only C order is supported");
        }
        long[] shape = parseShape(find(SHAPE, header, "shape", source), source);
        try {
            NumpyDType dtype = NumpyDType.parse(descr, "in " + source);
            long expected = dtype.elementType().byteSize();
            for (long d : shape) {
                if (d != 0 && expected > Long.MAX_VALUE / d) {
                    throw new DatasetFormatException(source + ": shape " + Arrays.toString(shape) + " of " + descr
                            + " needs more than " + Long.MAX_VALUE + " bytes; the file has " + (npy.length - headerStart
                            - headerLength));
                }
                expected *= d;
            }
            int dataStart = headerStart + headerLength;
            if (npy.length - dataStart != expected) {
                throw new DatasetFormatException(source + ": shape " + Arrays.toString(shape) + " of " + descr
                        + " needs " + expected + " data bytes, the file has " + (npy.length - dataStart)
                        + (npy.length - dataStart < expected ? " (truncated?)" : ""));
            }
            ByteBuffer data = ByteBuffer.wrap(npy, dataStart, (int) expected).slice().order(dtype.byteOrder());
            return StridedView.materialize(source, data, dtype.elementType(), 0, shape,
                    StridedView.contiguousStrides(shape));
        } catch (TorchFormatException e) {
            throw new DatasetFormatException(e.getMessage(), e);
        }
    }

    private static String find(Pattern pattern, String header, String key, String source) throws DatasetFormatException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            String excerpt = header.trim();
            throw new DatasetFormatException(source + ": .npy header has no '" + key + "': "
                    + (excerpt.length() > 100 ? excerpt.substring(0, 100) + "..." : excerpt));
        }
        return m.group(1);
    }

    private static long[] parseShape(String tuple, String source) throws DatasetFormatException {
        String[] parts = Arrays.stream(tuple.split(",")).map(String::trim).filter(p -> !p.isEmpty())
                .toArray(String[]::new);
        if (parts.length > MAX_DIMENSIONS) {
            throw new DatasetFormatException(source + ": .npy shape has " + parts.length + " dimensions; at most "
                    + MAX_DIMENSIONS + " are accepted");
        }
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] < 0) {
                throw new DatasetFormatException(source + ": bad .npy shape (" + (tuple.length() > 100
                        ? tuple.substring(0, 100) + "..." : tuple) + ")");
            }
        }
        return shape;
    }
}
