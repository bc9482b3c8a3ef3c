package dev.bristle.cli;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledReader;
import dev.bristle.ml.data.NpzWriter;
import dev.bristle.ml.distill.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ./bristle distill} on Debian's Fashion-MNIST files, then {@code ./bristle score} on what it wrote. */
class DistillCommandTest extends CommandLineHarness {

    @Test
    void distillsATinyDmSetThatScoreAccepts(@TempDir Path tmp) throws Exception {
        String data = SharedData.datasets().toString();
        Path set = tmp.resolve("dm.npz");
        assertEquals(0, run("distill", "--method", "dm", "--dataset", "fashion-mnist", "--ipc", "1", "--data", data,
                "--seed", "3", "--iterations", "2", "--real-per-class", "4", "--lr", "1", "--out", set.toString()),
                err::toString);
        assertTrue(out().startsWith("wrote " + set + ": DM IPC 1 of Fashion-MNIST, 10 images, seed 3, 2 iteration(s)"),
                out());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("distilling DM IPC 1 of Fashion-MNIST from"
                + " Fashion-MNIST's official training split (60,000 images): "), err::toString);
        Provenance provenance = Provenance.fromJson(NpzWriter.provenance(set).orElseThrow());
        assertEquals("dm", provenance.method());
        assertEquals(2, provenance.iterations());
        assertEquals(1.0, provenance.settings().get("learningRate"));
        assertEquals("Fashion-MNIST's official training split (60,000 images): train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz", provenance.sourceData(), "the files by name, not where they are");

        assertEquals(0, run("score", "--file", set.toString(), "--dataset", "fashion-mnist", "--ipc", "1",
                "--method", "DM", "--epochs", "2", "--students", "1", "--limit", "100", "--data", data), err::toString);
        assertTrue(out().startsWith("DM on Fashion-MNIST, IPC 1: 1 student(s), 3 epoch(s) each, standard training,"
                + " 100 test images"), out());
        assertTrue(out().contains("distilled by Bristle: dm, seed 3, 2 iteration(s), from Fashion-MNIST's official"
                + " training split"), out());
    }

    @Test
    void theRandomSubsetIsTheSameForTheSameSeed(@TempDir Path tmp) throws Exception {
        String data = SharedData.datasets().toString();
        Path first = tmp.resolve("a.npz");
        Path second = tmp.resolve("b.npz");
        assertEquals(0, run("distill", "--method", "random", "--dataset", "Fashion-MNIST", "--ipc", "2", "--data", data,
                "--out", first.toString()), err::toString);
        assertEquals(0, run("distill", "--method", "random", "--dataset", "Fashion-MNIST", "--ipc", "2", "--data", data,
                "--out", second.toString()), err::toString);
        var a = DistilledReader.readNpz(first, DistilledReader.NormalizationChoice.detect(DatasetKind.FASHION_MNIST));
        var b = DistilledReader.readNpz(second, DistilledReader.NormalizationChoice.detect(DatasetKind.FASHION_MNIST));
        assertArrayEquals(a.images(), b.images());
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, a.labels());
    }

    @Test
    void refusesBadArgumentsWithExitTwo(@TempDir Path tmp) {
        String out = tmp.resolve("x.npz").toString();
        assertEquals(2, run("distill", "--method", "kmeans", "--dataset", "fashion-mnist", "--ipc", "1", "--out", out));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bristle distill: unknown distillation method"
                + " 'kmeans' (expected random, herding, dm)"), err::toString);
        assertEquals(2, run("distill", "--method", "random", "--dataset", "fashion-mnist", "--ipc", "1",
                "--iterations", "5", "--out", out));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bristle distill: the random subset optimizes"
                + " nothing"), err::toString);
        assertEquals(2, run("distill", "--method", "dm", "--dataset", "fashion-mnist", "--ipc", "0", "--out", out));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bristle distill: --ipc must be a positive whole"
                + " number, not '0'"), err::toString);
        assertEquals(2, run("distill", "--method", "dm", "--dataset", "fashion-mnist", "--ipc", "1", "--out",
                tmp.resolve("x.pt").toString()));
        assertEquals(2, run("distill", "--method", "random", "--dataset", "fashion-mnist", "--ipc", "1", "--data",
                tmp.resolve("nothing").toString(), "--offline", "--out", out));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("bristle distill: Fashion-MNIST train set not found"
                + " under " + tmp.resolve("nothing").toAbsolutePath() + ". Put "), err::toString);
        assertFalse(Files.exists(tmp.resolve("x.npz")));
    }
}
