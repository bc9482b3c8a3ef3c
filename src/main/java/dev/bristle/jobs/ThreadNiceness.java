package dev.bristle.jobs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lowers the calling thread's scheduling priority on Linux (its niceness, as {@code renice} sets it; threads it
 * starts afterwards inherit it), so the scoring worker's compute yields the cores to request threads.
 */
final class ThreadNiceness {

    private static final int PRIO_PROCESS = 0;

    /** The C library's setpriority(2): with PRIO_PROCESS and a thread id, it sets that one thread's niceness. */
    interface CLibrary extends Library {
        int setpriority(int which, int who, int prio);
    }

    private ThreadNiceness() {
    }

    /** Whether the calling thread now runs at NICE (1 to 19); false where that cannot be done. */
    static boolean lowerCurrentThread(int nice) {
        if (!Platform.isLinux() || nice < 1 || nice > 19) return false;
        try {
            return Native.load("c", CLibrary.class).setpriority(PRIO_PROCESS, currentThreadId(), nice) == 0;
        } catch (IOException | UnsatisfiedLinkError | NumberFormatException e) {
            return false;
        }
    }

    /** The kernel's id of the calling thread: /proc/thread-self links to /proc/PID/task/TID. */
    static int currentThreadId() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }
}
