package dev.bristle.ml.torch;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two-step numpy pickle protocol: {@code _reconstruct(ndarray, (0,), b'b')} or {@code dtype('u1', ...)} creates
 * an empty object, and a BUILD opcode then supplies its state.
 */
final class NumpyPickles {

    private NumpyPickles() {
    }

    static final class DTypeBuilder {
        private NumpyDType dtype;
        private final String descr;

        DTypeBuilder(String descr) {
            this.descr = descr;
        }

        /** State: (version, byteorder, subarray, names, fields, elsize, alignment, flags). */
        void setState(List<Object> state, String where) throws TorchFormatException {
            if (state.size() < 2 || !(state.get(1) instanceof String order)) {
                throw new TorchFormatException("numpy dtype state " + where + " has no byte order");
            }
            if (state.size() > 3 && (state.get(2) != null || state.get(3) != null)) {
                throw new TorchFormatException("numpy dtype " + descr + " " + where
                        + " is structured or a sub-array; only plain numeric dtypes are supported");
            }
            dtype = NumpyDType.parse(order + descr, where);
        }

        NumpyDType dtype(String where) throws TorchFormatException {
            return dtype != null ? dtype : NumpyDType.parse(descr, where);
        }
    }

    static final class ArrayBuilder {
        private HostTensor built;

        /** The array its BUILD made, or null before it. */
        HostTensor built() {
            return built;
        }

        /** State: (version, shape, dtype, is_fortran, raw data). */
        HostTensor build(List<Object> state, String where, SafeUnpickler.TensorBudget budget)
                throws TorchFormatException {
            if (built != null) throw new TorchFormatException("numpy array " + where + " is built twice");
            if (state.size() != 5) {
                throw new TorchFormatException("numpy array state " + where + " has " + state.size()
                        + " fields, expected 5");
            }
            long[] shape = AllowedGlobal.integers(state.get(1), "numpy shape", where);
            if (!(state.get(2) instanceof DTypeBuilder dtypeBuilder)) {
                throw new TorchFormatException("numpy array " + where + " has no dtype");
            }
            if (Boolean.TRUE.equals(state.get(3))) {
                throw new TorchFormatException("numpy array " + where + " is in Fortran order; only C order is supported");
            }
            byte[] raw = rawBytes(state.get(4), where);
            NumpyDType dtype = dtypeBuilder.dtype(where);
            long expected = dtype.elementType().byteSize();
            for (long d : shape) expected = Math.multiplyExact(expected, d);
            if (raw.length != expected) {
                throw new TorchFormatException("numpy array " + where + " of shape " + Arrays.toString(shape)
                        + " needs " + expected + " bytes, has " + raw.length);
            }
            budget.reserve(StridedView.hostBytes(dtype.elementType(), shape), "numpy array of shape "
                    + Arrays.toString(shape));
            ByteBuffer bytes = ByteBuffer.wrap(raw).order(dtype.byteOrder());
            built = StridedView.materialize("numpy array " + where, bytes, dtype.elementType(), 0, shape,
                    StridedView.contiguousStrides(shape));
            return built;
        }
    }


    /** A numpy scalar ({@code numpy.float64(0.5)} ...) as Double, Long or Boolean. */
    static Object scalar(NumpyDType dtype, Object data, String where) throws TorchFormatException {
        byte[] raw = rawBytes(data, where);
        if (raw.length != dtype.elementType().byteSize()) {
            throw new TorchFormatException("numpy scalar " + where + " has " + raw.length + " bytes, its dtype "
                    + dtype.elementType() + " needs " + dtype.elementType().byteSize());
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(dtype.byteOrder());
        return switch (dtype.elementType()) {
            case FLOAT64 -> bytes.getDouble(0);
            case FLOAT32 -> (double) bytes.getFloat(0);
            case FLOAT16 -> (double) ElementType.halfToFloat(bytes.getShort(0));
            case BFLOAT16 -> (double) Float.intBitsToFloat((bytes.getShort(0) & 0xffff) << 16);
            case INT64 -> bytes.getLong(0);
            case INT32 -> (long) bytes.getInt(0);
            case INT16 -> (long) bytes.getShort(0);
            case INT8 -> (long) bytes.get(0);
            case UINT8 -> (long) (bytes.get(0) & 0xff);
            case BOOL -> bytes.get(0) != 0;
        };
    }

    private static byte[] rawBytes(Object data, String where) throws TorchFormatException {
        if (data instanceof byte[] b) return b;
        if (data instanceof String latin1) return latin1.getBytes(StandardCharsets.ISO_8859_1); // Python 2 str
        throw new TorchFormatException("numpy data " + where + " is " + SafeUnpickler.describe(data)
                + ", not raw bytes");
    }
}
