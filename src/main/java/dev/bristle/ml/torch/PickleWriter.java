package dev.bristle.ml.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Emits the protocol-2 opcodes a torch state_dict pickle needs, in the order the caller chains them. */
final class PickleWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        out.write(0x80);
        out.write(2);
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleWriter unicode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeInt32(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    PickleWriter integer(long value) {
        if (value >= 0 && value < 256) {
            out.write('K');
            out.write((int) value);
        } else if (value >= 0 && value < 65536) {
            out.write('M');
            out.write((int) value & 0xff);
            out.write((int) (value >>> 8) & 0xff);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            out.write('J');
            writeInt32((int) value);
        } else {
            out.write(0x8a); // LONG1 with 8 little-endian two's-complement bytes
            out.write(8);
            for (int i = 0; i < 8; i++) out.write((int) (value >>> (8 * i)) & 0xff);
        }
        return this;
    }

    PickleWriter integers(long[] values) {
        mark();
        for (long v : values) integer(v);
        return tuple();
    }

    PickleWriter bool(boolean value) {
        out.write(value ? 0x88 : 0x89);
        return this;
    }

    PickleWriter mark() {
        out.write('(');
        return this;
    }

    PickleWriter tuple() {
        out.write('t');
        return this;
    }

    PickleWriter emptyTuple() {
        out.write(')');
        return this;
    }

    PickleWriter reduce() {
        out.write('R');
        return this;
    }

    PickleWriter binPersId() {
        out.write('Q');
        return this;
    }

    PickleWriter setItems() {
        out.write('u');
        return this;
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void writeInt32(int value) {
        for (int i = 0; i < 4; i++) out.write((value >>> (8 * i)) & 0xff);
    }
}
