package dev.bristle.ml.torch;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one pickle read forward for {@link SafeUnpickler}: opcodes and their arguments, every length checked
 * against what is left before anything is copied.
 */
final class PickleInput {

    /** Raised by the readers below when the input ends; the unpickler turns it into a message with the position. */
    static final class TruncatedPickle extends RuntimeException {
        TruncatedPickle() {
            super(null, null, false, false);
        }
    }

    private final byte[] in;
    private int pos;

    PickleInput(byte[] pickle) {
        this.in = pickle;
    }

    /** The offset of the next byte to read. */
    int position() {
        return pos;
    }

    /** The pickle's length in bytes. */
    int length() {
        return in.length;
    }

    int u8() {
        if (pos >= in.length) throw new TruncatedPickle();
        return in[pos++] & 0xff;
    }

    byte[] bytes(int n) {
        if (n < 0 || n > in.length - pos) throw new TruncatedPickle();
        byte[] out = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return out;
    }

    ByteBuffer le(int n) {
        return ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    int length(long declared) {
        if (declared < 0 || declared > in.length - pos) throw new TruncatedPickle();
        return (int) declared;
    }

    String line() {
        int start = pos;
        while (u8() != '\n') {
            if (pos - start > 256) throw new IllegalArgumentException("GLOBAL name longer than 256 bytes");
        }
        return new String(in, start, pos - start - 1, StandardCharsets.UTF_8);
    }

    static Long longFromBytes(byte[] littleEndian) {
        if (littleEndian.length == 0) return 0L;
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        BigInteger value = new BigInteger(bigEndian);
        if (value.bitLength() > 63) throw new ArithmeticException("an integer does not fit in 64 bits");
        return value.longValue();
    }

    static String utf8(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    static String latin1(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}
