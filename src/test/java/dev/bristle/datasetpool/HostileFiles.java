package dev.bristle.datasetpool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made hostile files: pickles that build far more than their size, and .npz archives with lying headers. */
final class HostileFiles {

    private HostileFiles() {
    }

    /** A protocol-2 pickle built opcode by opcode. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() {
            out.write(0x80);
            out.write(2);
        }

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle ops(int opcode, int times) {
            for (int i = 0; i < times; i++) out.write(opcode);
            return this;
        }

        Pickle put(int memo) {
            out.write('q');
            out.write(memo);
            return this;
        }

        Pickle get(int memo) {
            out.write('h');
            out.write(memo);
            return this;
        }

        Pickle text(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(le(utf8.length));
            out.writeBytes(utf8);
            return this;
        }

        /** LONG4: a little-endian two's-complement integer of {@code bytes} bytes. */
        Pickle long4(byte[] bytes) {
            out.write(0x8b);
            out.writeBytes(le(bytes.length));
            out.writeBytes(bytes);
            return this;
        }

        Pickle raw(String latin1) {
            out.writeBytes(latin1.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        byte[] stop() {
            out.write('.');
            return out.toByteArray();
        }
    }

    /**
     * {'data': L8} where L0 = [] and each L(k+1) lists L(k) ten times by memo reference: 10^8 list items from a
     * couple of hundred bytes, the shared-reference bomb.
     */
    static byte[] sharedReferenceBomb(int levels) {
        Pickle p = new Pickle().op('}').text("x").op(']').put(0).op('0');
        for (int level = 1; level <= levels; level++) {
            p.op('(');
            for (int i = 0; i < 10; i++) p.get(level - 1);
            p.op('l').put(level).op('0');
        }
        return p.get(levels).op('s').stop();
    }

    /** {'data': n} where n is a LONG4 of {@code bytes} bytes. */
    static byte[] hugeInteger(int bytes) {
        byte[] value = new byte[bytes];
        value[bytes - 1] = 0x40;
        return new Pickle().op('}').text("data").long4(value).op('s').stop();
    }

    /** {None: 1}. */
    static byte[] noneKey() {
        return new Pickle().op('}').op('N').raw("K\u0001").op('s').stop();
    }

    /** {L: 1} where L is a list that contains itself. */
    static byte[] selfReferentialKey() {
        return new Pickle().op('}').op(']').put(0).get(0).op('a').raw("K\u0001").op('s').stop();
    }

    /** {((((None,),),)...): 1}, {@code depth} tuples deep. */
    static byte[] deepTupleKey(int depth) {
        return new Pickle().op('}').op('N').ops(0x85, depth).raw("K\u0001").op('s').stop();
    }

    /** A pickle calling {@code module.name('id')}. */
    static byte[] forbiddenGlobal(String module, String name) {
        return new Pickle().raw("c" + module + "\n" + name + "\n").text("id").op(0x85).op('R').stop();
    }

    /** A torch-style zip whose archive/data.pkl is {@code pickle}. */
    static Path torchFile(Path file, byte[] pickle) throws IOException {
        return zip(file, Map.of("archive/data.pkl", pickle));
    }

    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var entry : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** A version-1 .npy with {@code header} (padded as numpy pads it) and {@code dataBytes} zero bytes of data. */
    static byte[] npy(String header, int dataBytes) {
        return npy(1, header, -1, dataBytes);
    }

    /** A .npy whose header length field says {@code declaredLength} (-1: the header's real length). */
    static byte[] npy(int version, String header, long declaredLength, int dataBytes) {
        byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        long length = declaredLength < 0 ? text.length : declaredLength;
        if (version == 1) b.putShort((short) length);
        else b.putInt((int) length);
        b.put(text);
        return java.util.Arrays.copyOf(b.array(), b.position() + dataBytes);
    }

    static String npyHeader(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    }

    private static byte[] le(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
