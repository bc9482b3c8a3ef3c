package dev.bristle.ml.torch;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pickle may still build under its {@link SafeUnpickler.Limits}: each check runs before the work it
 * allows, and a refusal names the pickle and the byte ({@code at}) of the opcode that reached the limit.
 */
final class PickleAllowance {

    private final SafeUnpickler.Limits limits;
    private final String source;
    /** Nesting depth of every container built so far (absent: not a container, depth 0). */
    private final Map<Object, Integer> depths = new IdentityHashMap<>();
    private long totalItems;
    private int memoReads;
    private long tensorBytes;

    PickleAllowance(SafeUnpickler.Limits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    /** For the next pickle: nothing built yet. */
    void reset() {
        depths.clear();
        totalItems = 0;
        memoReads = 0;
        tensorBytes = 0;
    }

    /** Registers a new container holding {@code items}. */
    <T> T container(T container, List<?> items, int at) throws UnsafePickleException {
        depths.put(container, 1);
        grow(container, items, at);
        return container;
    }

    /** Checks, before they are added, that {@code items} keep {@code container} within the limits. */
    void grow(Object container, List<?> items, int at) throws UnsafePickleException {
        int size = container instanceof Collection<?> c ? c.size() : ((Map<?, ?>) container).size();
        if ((long) size + items.size() > limits.maxItems()) {
            throw new UnsafePickleException("a container at byte " + at + " in " + source + " would hold more"
                    + " than " + limits.maxItems() + " items; refused");
        }
        totalItems += items.size();
        if (totalItems > limits.maxTotalItems()) {
            throw new UnsafePickleException("pickle " + source + " builds more than " + limits.maxTotalItems()
                    + " container items in all (limit reached at byte " + at + "); refused");
        }
        int depth = depths.getOrDefault(container, 1);
        for (Object item : items) {
            if (item == container) {
                throw new UnsafePickleException("a container at byte " + at + " in " + source
                        + " contains itself; refused");
            }
            depth = Math.max(depth, 1 + depths.getOrDefault(item, 0));
        }
        if (depth > limits.maxDepth()) {
            throw new UnsafePickleException("containers nest deeper than " + limits.maxDepth() + " levels at byte "
                    + at + " in " + source + "; refused");
        }
        depths.put(container, depth);
    }

    void memoRead(int at) throws UnsafePickleException {
        if (++memoReads > limits.maxMemoReads()) {
            throw new UnsafePickleException("pickle " + source + " reads its memo more than " + limits.maxMemoReads()
                    + " times (limit reached at byte " + at + "); refused");
        }
    }

    /** Before a memo of {@code entries} entries gets one more. */
    void memoEntry(int entries, int at) throws UnsafePickleException {
        if (entries >= limits.maxMemoEntries()) {
            throw new UnsafePickleException("pickle " + source + " puts more than " + limits.maxMemoEntries()
                    + " entries in its memo (limit reached at byte " + at + "); refused");
        }
    }

    /** Before a tensor of {@code bytes} bytes ({@code what}) is materialized. */
    void tensor(long bytes, String what, int at) throws UnsafePickleException {
        tensorBytes += bytes;
        if (tensorBytes > limits.maxTensorBytes()) {
            throw new UnsafePickleException("pickle " + source + " materializes more than " + limits.maxTensorBytes()
                    + " bytes of tensors in all (limit reached by the " + what + " at byte " + at + "); refused");
        }
    }

    int integerWidth(String opcode, int width, int at) throws UnsafePickleException {
        if (width < 0 || width > limits.maxIntegerBytes()) {
            throw new UnsafePickleException(opcode + " at byte " + at + " in " + source + " declares an integer"
                    + " of " + Integer.toUnsignedString(width) + " bytes; at most " + limits.maxIntegerBytes()
                    + " (64 bits) are accepted");
        }
        return width;
    }
}
