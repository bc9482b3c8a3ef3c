package dev.bristle.ml.torch;

import java.util.Map;

/** Names of the pickle opcodes SafeUnpickler refuses, so a refusal says what was found. */
final class Opcodes {

    private static final Map<Integer, String> REFUSED = Map.ofEntries(
            Map.entry((int) 'i', "INST"), Map.entry((int) 'o', "OBJ"), Map.entry(0x81, "NEWOBJ"),
            Map.entry(0x92, "NEWOBJ_EX"), Map.entry((int) 'P', "PERSID"), Map.entry(0x82, "EXT1"),
            Map.entry(0x83, "EXT2"), Map.entry(0x84, "EXT4"), Map.entry(0x97, "NEXT_BUFFER"),
            Map.entry(0x98, "READONLY_BUFFER"), Map.entry((int) 'I', "INT"), Map.entry((int) 'L', "LONG"),
            Map.entry((int) 'F', "FLOAT"), Map.entry((int) 'S', "STRING"), Map.entry((int) 'V', "UNICODE"),
            Map.entry((int) 'g', "GET"), Map.entry((int) 'p', "PUT"));

    private Opcodes() {
    }

    static String describe(int opcode) {
        String name = REFUSED.getOrDefault(opcode, "unknown");
        return String.format("0x%02x (%s)", opcode, name);
    }
}
