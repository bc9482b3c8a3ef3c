package dev.bristle.ml.torch;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Python globals a pickle may name (numpy scalars appear in the accuracy lists of distilled-set files). Each is interpreted in Java; the storage classes ({@code torch.FloatStorage}
 * ...) resolve to {@link TorchStorageType} and are only data inside persistent ids.
 */
enum AllowedGlobal {
    ORDERED_DICT("collections", "OrderedDict"),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    NUMPY_RECONSTRUCT("numpy.core.multiarray", "_reconstruct"),
    NUMPY2_RECONSTRUCT("numpy._core.multiarray", "_reconstruct"),
    NUMPY_SCALAR("numpy.core.multiarray", "scalar"),
    NUMPY2_SCALAR("numpy._core.multiarray", "scalar"),
    NUMPY_NDARRAY("numpy", "ndarray"),
    NUMPY_DTYPE("numpy", "dtype"),
    CODECS_ENCODE("_codecs", "encode");

    private final String module;
    private final String name;

    AllowedGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    /** The allowed global of this name (an AllowedGlobal or a TorchStorageType), or UnsafePickleException. */
    static Object resolve(String module, String name, String where) throws UnsafePickleException {
        for (AllowedGlobal global : values()) {
            if (global.module.equals(module) && global.name.equals(name)) return global;
        }
        if (module.equals("torch")) {
            var storage = TorchStorageType.byClassName(name);
            if (storage.isPresent()) return storage.get();
        }
        throw new UnsafePickleException("forbidden global " + module + "." + name + " " + where);
    }

    Object call(List<Object> args, String where, SafeUnpickler.TensorBudget budget) throws TorchFormatException {
        return switch (this) {
            case ORDERED_DICT -> orderedDict(args, where);
            case REBUILD_TENSOR_V2 -> rebuildTensor(args, where, budget);
            case REBUILD_PARAMETER -> {
                requireArgs(args, 3, 3, where);
                yield args.get(0); // requires_grad and hooks only matter for training in Python
            }
            case NUMPY_RECONSTRUCT, NUMPY2_RECONSTRUCT -> {
                requireArgs(args, 3, 3, where);
                if (args.get(0) != NUMPY_NDARRAY) {
                    throw new UnsafePickleException(qualifiedName() + " " + where + " builds "
                            + SafeUnpickler.describe(args.get(0)) + "; only numpy.ndarray is allowed");
                }
                yield new NumpyPickles.ArrayBuilder();
            }
            case NUMPY_SCALAR, NUMPY2_SCALAR -> {
                requireArgs(args, 2, 2, where);
                if (!(args.get(0) instanceof NumpyPickles.DTypeBuilder dtype)) {
                    throw new TorchFormatException("numpy scalar " + where + " has no dtype");
                }
                yield NumpyPickles.scalar(dtype.dtype(where), args.get(1), where);
            }
            case NUMPY_DTYPE -> {
                requireArgs(args, 1, 3, where);
                yield new NumpyPickles.DTypeBuilder(text(args.get(0), where));
            }
            case CODECS_ENCODE -> {
                requireArgs(args, 2, 2, where);
                String encoding = text(args.get(1), where);
                if (!encoding.equals("latin1") && !encoding.equals("latin-1")) {
                    throw new UnsafePickleException("_codecs.encode " + where + " with encoding " + encoding
                            + "; only latin1 (numpy's bytes in protocol 2) is allowed");
                }
                yield text(args.get(0), where).getBytes(StandardCharsets.ISO_8859_1);
            }
            case NUMPY_NDARRAY -> throw new UnsafePickleException("numpy.ndarray called directly " + where);
        };
    }

    private Object orderedDict(List<Object> args, String where) throws TorchFormatException {
        var map = new java.util.LinkedHashMap<Object, Object>();
        if (args.isEmpty()) return map;
        requireArgs(args, 1, 1, where);
        if (!(args.get(0) instanceof List<?> pairs)) {
            throw new TorchFormatException("OrderedDict " + where + " expects a list of pairs");
        }
        for (Object pair : pairs) {
            if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                throw new TorchFormatException("OrderedDict " + where + " expects (key, value) pairs");
            }
            SafeUnpickler.checkKey(kv.get(0), where);
            map.put(kv.get(0), kv.get(1));
        }
        return map;
    }

    private static Object rebuildTensor(List<Object> args, String where, SafeUnpickler.TensorBudget budget)
            throws TorchFormatException {
        requireArgs(args, 6, 7, where);
        if (!(args.get(0) instanceof TorchStorage storage)) {
            throw new TorchFormatException("_rebuild_tensor_v2 " + where + " expects a storage, found "
                    + SafeUnpickler.describe(args.get(0)));
        }
        long offset = integer(args.get(1), "storage offset", where);
        long[] size = integers(args.get(2), "size", where);
        long[] stride = integers(args.get(3), "stride", where);
        budget.reserve(StridedView.hostBytes(storage.type().elementType(), size), "tensor of size "
                + java.util.Arrays.toString(size) + " on storage " + storage.name());
        return StridedView.materialize("tensor on storage " + storage.name() + " (" + where + ")",
                storage.bytes(), storage.type().elementType(), offset, size, stride);
    }

    private static void requireArgs(List<Object> args, int min, int max, String where) throws TorchFormatException {
        if (args.size() < min || args.size() > max) {
            throw new TorchFormatException("call " + where + " has " + args.size() + " arguments, expected "
                    + (min == max ? String.valueOf(min) : min + " to " + max));
        }
    }

    private static String text(Object value, String where) throws TorchFormatException {
        if (value instanceof String s) return s;
        throw new TorchFormatException("expected a string " + where + ", found " + SafeUnpickler.describe(value));
    }

    static long integer(Object value, String what, String where) throws TorchFormatException {
        if (value instanceof Long l) return l;
        throw new TorchFormatException(what + " " + where + " should be an integer, found "
                + SafeUnpickler.describe(value));
    }

    static long[] integers(Object value, String what, String where) throws TorchFormatException {
        if (!(value instanceof List<?> items)) {
            throw new TorchFormatException(what + " " + where + " should be a tuple of integers, found "
                    + SafeUnpickler.describe(value));
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(items.get(i), what, where);
        return out;
    }
}
