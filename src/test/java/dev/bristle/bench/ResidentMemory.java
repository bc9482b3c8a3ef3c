package dev.bristle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, Java heap and native memory together, as the kernel counts it. */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    public static long kilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
