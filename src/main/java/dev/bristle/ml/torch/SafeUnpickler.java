package dev.bristle.ml.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Python pickles (protocols 2 to 5) as data. Nothing in a pickle is ever executed: every opcode and every
 * global is checked against an allow-list, and the few allowed globals (OrderedDict, torch tensor rebuilding, numpy
 * arrays, {@code _codecs.encode}) are interpreted here in Java. Anything else raises {@link UnsafePickleException}.
 *
 * <p>Results are plain Java values: {@link LinkedHashMap} (dicts; bytes keys become latin-1 strings), {@link List}
 * (lists, and unmodifiable lists for tuples), {@link Set}, {@link Long}, {@link Double}, {@link String} (Python 2
 * {@code str} decoded as latin-1, like {@code pickle.load(encoding='latin1')}), {@code byte[]}, {@link Boolean},
 * null and {@link HostTensor}.
 *
 * <p>A hostile pickle cannot make it work or allocate out of proportion to its size: {@link Limits} caps the nesting
 * depth, the items of one container and of all of them, the memo's entries and references, the width of integers and
 * the bytes of all tensors it materializes (many views of one storage are each copied), each checked before the work
 * is done; dict keys must be strings or numbers (hashing a nested or self-referential key recurses
 * without bound), and refusals describe values in a few words, never print them.
 */
public final class SafeUnpickler {

    /** Resolves a persistent id (torch's storage references); {@code where} names the pickle and byte for messages. */
    @FunctionalInterface
    public interface PersistentLoader {
        Object load(Object persistentId, String where) throws TorchFormatException;
    }

    /**
     * @param maxDepth          deepest nesting of lists, tuples, dicts and sets
     * @param maxItems          most items of one container
     * @param maxTotalItems     most items of all containers together (shared references count each time they are used)
     * @param maxMemoReads      most memo references (GET opcodes)
     * @param maxMemoEntries    most memo entries (PUT opcodes to distinct indices)
     * @param maxIntegerBytes   widest LONG1/LONG4 integer, in bytes (values must fit in a Java long anyway)
     * @param maxTensorBytes    most bytes of all tensors materialized, counted as held in memory (after widening)
     */
    public record Limits(int maxDepth, int maxItems, long maxTotalItems, int maxMemoReads, int maxMemoEntries,
                         int maxIntegerBytes, long maxTensorBytes) {
        /** Tensors may take as many bytes as an archive may hold ({@link SafeZip.Limits#DEFAULT}). */
        public static final Limits DEFAULT = new Limits(64, 10_000_000, 50_000_000, 1_000_000, 1_000_000, 8,
                SafeZip.Limits.DEFAULT.maxTotalBytes());

        public Limits withMaxTensorBytes(long bytes) {
            return new Limits(maxDepth, maxItems, maxTotalItems, maxMemoReads, maxMemoEntries, maxIntegerBytes, bytes);
        }
    }

    /** Takes a tensor's bytes from the pickle's allowance before it is materialized. */
    @FunctionalInterface
    interface TensorBudget {
        void reserve(long bytes, String what) throws TorchFormatException;
    }

    private static final Object MARK = new Object();

    private final String source;
    private final PersistentLoader persistentLoader;

    private PickleInput in;
    private int opcodeStart;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final PickleAllowance allowance;

    /**
     * @param source           names the pickle in every message (a file, or an entry of an archive)
     * @param persistentLoader resolves BINPERSID references, or null to refuse them
     */
    public SafeUnpickler(String source, PersistentLoader persistentLoader) {
        this(source, persistentLoader, Limits.DEFAULT);
    }

    public SafeUnpickler(String source, PersistentLoader persistentLoader, Limits limits) {
        this.source = source;
        this.persistentLoader = persistentLoader;
        this.allowance = new PickleAllowance(limits, source);
    }

    /** Reads a pickle that has no persistent ids (numpy / CIFAR batches, metadata files). */
    public static Object load(byte[] pickle, String source) throws TorchFormatException {
        return new SafeUnpickler(source, null).load(pickle);
    }

    public Object load(byte[] pickle) throws TorchFormatException {
        in = new PickleInput(pickle);
        stack.clear();
        marks.clear();
        memo.clear();
        allowance.reset();
        try {
            while (true) {
                opcodeStart = in.position();
                int opcode = in.u8();
                if (opcode == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) throw malformed("STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                execute(opcode);
            }
        } catch (PickleInput.TruncatedPickle e) {
            throw new TorchFormatException("pickle " + source + " ends at byte " + in.length()
                    + " in the middle of the opcode at byte " + opcodeStart + " (truncated file?)");
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw malformed(e.getMessage());
        }
    }

    private void execute(int opcode) throws TorchFormatException {
        switch (opcode) {
            case 0x80 -> protocol(in.u8()); // PROTO
            case 0x95 -> in.le(8); // FRAME: its length is only a buffering hint
            case '(' -> { marks.push(stack.size()); stack.add(MARK); }
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) in.le(4).getInt());
            case 'K' -> push((long) in.u8());
            case 'M' -> push((long) (in.le(2).getShort() & 0xffff));
            case 0x8a -> push(PickleInput.longFromBytes(in.bytes(allowance.integerWidth("LONG1", in.u8(), opcodeStart))));
            case 0x8b -> push(PickleInput.longFromBytes(in.bytes(allowance.integerWidth("LONG4", in.le(4).getInt(), opcodeStart))));
            case 'G' -> push(ByteBuffer.wrap(in.bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
            case 'X' -> push(PickleInput.utf8(in.bytes(in.length(in.le(4).getInt()))));
            case 0x8c -> push(PickleInput.utf8(in.bytes(in.u8())));
            case 0x8d -> push(PickleInput.utf8(in.bytes(in.length(in.le(8).getLong()))));
            case 'T' -> push(PickleInput.latin1(in.bytes(in.length(in.le(4).getInt()))));
            case 'U' -> push(PickleInput.latin1(in.bytes(in.u8())));
            case 'B' -> push(in.bytes(in.length(in.le(4).getInt())));
            case 'C' -> push(in.bytes(in.u8()));
            case 0x8e, 0x96 -> push(in.bytes(in.length(in.le(8).getLong()))); // BINBYTES8, BYTEARRAY8
            case ']' -> push(container(new ArrayList<>(), List.of()));
            case 'l' -> { List<Object> items = popMark(); push(container(new ArrayList<>(items), items)); }
            case 'a' -> { Object item = pop(); List<Object> list = list(peek()); grow(list, List.of(item)); list.add(item); }
            case 'e' -> { List<Object> items = popMark(); List<Object> list = list(peek()); grow(list, items); list.addAll(items); }
            case ')' -> push(tuple(List.of()));
            case 't' -> push(tuple(popMark()));
            case 0x85 -> push(tuple(popN(1)));
            case 0x86 -> push(tuple(popN(2)));
            case 0x87 -> push(tuple(popN(3)));
            case '}' -> push(container(new LinkedHashMap<>(), List.of()));
            case 'd' -> { List<Object> pairs = popMark(); push(putPairs(container(new LinkedHashMap<>(), List.of()), pairs)); }
            case 's' -> { Object value = pop(); Object key = pop(); putPairs(map(peek()), java.util.Arrays.asList(key, value)); }
            case 'u' -> { List<Object> pairs = popMark(); putPairs(map(peek()), pairs); }
            case 0x8f -> push(container(new LinkedHashSet<>(), List.of()));
            case 0x90 -> { List<Object> items = popMark(); Set<Object> set = set(peek()); checkKeys(items); grow(set, items); set.addAll(items); }
            case 0x91 -> { List<Object> items = popMark(); checkKeys(items); push(container(Collections.unmodifiableSet(new LinkedHashSet<>(items)), items)); }
            case 'q' -> memoPut(in.u8());
            case 'r' -> memoPut(memoIndex(in.le(4).getInt()));
            case 0x94 -> memoPut(memo.size());
            case 'h' -> push(memoGet(in.u8()));
            case 'j' -> push(memoGet(memoIndex(in.le(4).getInt())));
            case 'c' -> push(AllowedGlobal.resolve(in.line(), in.line(), where()));
            case 0x93 -> { String name = string(pop()); String module = string(pop()); push(AllowedGlobal.resolve(module, name, where())); }
            case 'R' -> { List<Object> args = list(pop()); Object callable = pop(); push(reduce(callable, args)); }
            case 'b' -> build();
            case 'Q' -> push(persistentLoad(pop()));
            default -> throw new UnsafePickleException("opcode " + Opcodes.describe(opcode) + " at byte " + opcodeStart
                    + " in " + source + " is not allowed");
        }
    }

    private void protocol(int protocol) throws UnsafePickleException {
        if (protocol < 2 || protocol > 5) {
            throw new UnsafePickleException("pickle protocol " + protocol + " at byte " + opcodeStart + " in "
                    + source + " is not supported (protocols 2 to 5 are)");
        }
    }

    private Object reduce(Object callable, List<Object> args) throws TorchFormatException {
        if (!(callable instanceof AllowedGlobal global)) {
            throw new UnsafePickleException("REDUCE at byte " + opcodeStart + " in " + source + " calls "
                    + describe(callable) + ", which is not an allowed global");
        }
        return global.call(args, where(), this::reserveTensor);
    }

    private void build() throws TorchFormatException {
        Object state = pop();
        Object target = peek();
        if (target instanceof Map<?, ?> && state instanceof Map<?, ?>) {
            return; // a dict's BUILD sets Python attributes (torch's module-version _metadata), not items
        }
        if (target instanceof NumpyPickles.DTypeBuilder dtype) {
            dtype.setState(list(state), where());
            return;
        }
        if (target instanceof NumpyPickles.ArrayBuilder array) {
            // The memo keeps the builder, which answers with its array from now on (see memoGet).
            stack.set(stack.size() - 1, array.build(list(state), where(), this::reserveTensor));
            return;
        }
        throw new UnsafePickleException("BUILD at byte " + opcodeStart + " in " + source + " sets the state of "
                + describe(target) + ", which is not allowed");
    }

    private Object persistentLoad(Object persistentId) throws TorchFormatException {
        if (persistentLoader == null) {
            throw new UnsafePickleException("persistent id " + describe(persistentId) + " at byte " + opcodeStart
                    + " in " + source + ": this pickle is not expected to reference external storages");
        }
        return persistentLoader.load(persistentId, where());
    }

    private String where() {
        return "at byte " + opcodeStart + " in " + source;
    }

    // --- stack and memo ---

    private void push(Object value) {
        stack.add(value);
    }

    private Object pop() throws TorchFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw malformed("stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws TorchFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw malformed("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) throws TorchFormatException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return java.util.Arrays.asList(items);
    }

    private List<Object> popMark() throws TorchFormatException {
        if (marks.isEmpty()) throw malformed("no MARK to pop to");
        int markAt = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(markAt + 1, stack.size()));
        stack.subList(markAt, stack.size()).clear();
        return items;
    }

    private Object memoGet(int index) throws TorchFormatException {
        allowance.memoRead(opcodeStart);
        if (!memo.containsKey(index)) throw malformed("memo entry " + index + " read before it was written");
        Object value = memo.get(index);
        return value instanceof NumpyPickles.ArrayBuilder array && array.built() != null ? array.built() : value;
    }

    private void memoPut(int index) throws TorchFormatException {
        if (!memo.containsKey(index)) allowance.memoEntry(memo.size(), opcodeStart);
        memo.put(index, peek());
    }

    private Map<Object, Object> putPairs(Map<Object, Object> map, List<Object> pairs) throws TorchFormatException {
        if (pairs.size() % 2 != 0) throw malformed("odd number of items for a dict");
        List<Object> keys = new ArrayList<>(pairs.size() / 2);
        for (int i = 0; i < pairs.size(); i += 2) keys.add(pairs.get(i));
        checkKeys(keys);
        grow(map, pairs);
        for (int i = 0; i < pairs.size(); i += 2) {
            Object key = pairs.get(i);
            map.put(key instanceof byte[] raw ? PickleInput.latin1(raw) : key, pairs.get(i + 1));
        }
        return map;
    }

    private <T> T container(T container, List<?> items) throws UnsafePickleException {
        return allowance.container(container, items, opcodeStart);
    }

    private void grow(Object container, List<?> items) throws UnsafePickleException {
        allowance.grow(container, items, opcodeStart);
    }

    private void reserveTensor(long bytes, String what) throws UnsafePickleException {
        allowance.tensor(bytes, what, opcodeStart);
    }

    private void checkKeys(List<Object> keys) throws UnsafePickleException {
        for (Object key : keys) checkKey(key, where());
    }

    /**
     * Dict keys and set items must be strings, bytes or numbers: Python's own rule (hashable) would allow tuples, but
     * hashing a deep, shared or self-referential tuple recurses through all of it.
     */
    static void checkKey(Object key, String where) throws UnsafePickleException {
        if (key instanceof String || key instanceof byte[] || key instanceof Long || key instanceof Double
                || key instanceof Boolean) {
            return;
        }
        throw new UnsafePickleException("a dict key or set item " + where + " is " + describe(key)
                + "; only strings, bytes and numbers are accepted");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) throws TorchFormatException {
        if (value instanceof List<?> l) return (List<Object>) l;
        throw malformed("expected a list or tuple, found " + describe(value));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object value) throws TorchFormatException {
        if (value instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw malformed("expected a dict, found " + describe(value));
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object value) throws TorchFormatException {
        if (value instanceof Set<?> s) return (Set<Object>) s;
        throw malformed("expected a set, found " + describe(value));
    }

    private String string(Object value) throws TorchFormatException {
        if (value instanceof String s) return s;
        throw malformed("expected a string, found " + describe(value));
    }

    private List<Object> tuple(List<Object> items) throws UnsafePickleException {
        return container(Collections.unmodifiableList(new ArrayList<>(items)), items);
    }

    /** A short description of an unpickled value for error messages ('name', 42, a list of 3 items ...). */
    public static String describe(Object value) {
        if (value == null) return "None";
        if (value instanceof AllowedGlobal g) return g.qualifiedName();
        if (value instanceof TorchStorageType t) return "torch." + t.name();
        if (value instanceof String s) return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (value instanceof Long || value instanceof Double || value instanceof Boolean) return value.toString();
        if (value instanceof HostTensor t) return "a " + t.dtype() + " tensor of shape " + t.shapeString();
        if (value instanceof List<?> l) return "a list of " + l.size() + " items";
        if (value instanceof Map<?, ?> m) return "a dict of " + m.size() + " entries";
        if (value instanceof byte[] b) return b.length + " bytes";
        return "a " + value.getClass().getSimpleName();
    }

    /** The first few keys of a dict, described, and how many there are: bounded whatever the dict holds. */
    public static String describeKeys(Map<?, ?> map) {
        List<String> first = map.keySet().stream().limit(8).map(SafeUnpickler::describe).toList();
        return String.join(", ", first) + (map.size() > first.size() ? ", ... (" + map.size() + " keys)" : "");
    }

    private TorchFormatException malformed(String detail) {
        return new TorchFormatException("malformed pickle " + source + " at byte " + opcodeStart + ": " + detail);
    }

    private static int memoIndex(int index) {
        if (index < 0) throw new IllegalArgumentException("negative memo index " + index);
        return index;
    }
}
