package dev.bristle.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker thread's lower priority, as the kernel reports it, for itself and for the threads it starts. */
@EnabledOnOs(OS.LINUX)
class ThreadNicenessTest {

    @Test
    void aThreadAndTheThreadsItStartsRunAtTheLowerPriority() throws Exception {
        AtomicInteger own = new AtomicInteger(-100);
        AtomicInteger started = new AtomicInteger(-100);
        AtomicInteger before = new AtomicInteger(-100);
        Thread worker = new Thread(() -> {
            try {
                before.set(nice());
                assertTrue(ThreadNiceness.lowerCurrentThread(before.get() + 5));
                own.set(nice());
                Thread child = new Thread(() -> {
                    try {
                        started.set(nice());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                child.start();
                child.join();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        worker.start();
        worker.join();
        assertEquals(before.get() + 5, own.get(), "the worker thread");
        assertEquals(before.get() + 5, started.get(), "a thread it started (as PyTorch's compute threads)");
        assertEquals(before.get(), nice(), "the other threads keep theirs");
    }

    /** Field 19 of /proc/thread-self/stat: the calling thread's niceness. */
    private static int nice() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }
}
