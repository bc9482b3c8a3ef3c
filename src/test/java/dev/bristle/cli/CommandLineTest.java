package dev.bristle.cli;

import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The picocli command line: generated help, exit codes, one-line refusals, completion, progress, import. */
class CommandLineTest extends CommandLineHarness {

    private static String model() {
        return SharedData.path("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth").toString();
    }

    private static String data() {
        return SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString();
    }

    @Test
    void evaluateAndScoreHelpComeFromPicocliAndListTheSameAttackOptions() {
        assertEquals(0, run("evaluate", "--help"));
        String evaluate = out();
        assertEquals(0, run("score", "--help"));
        String score = out();
        assertTrue(evaluate.startsWith("Usage: bristle evaluate "), evaluate);
        assertTrue(score.startsWith("Usage: bristle score "), score);
        List<String> shared = List.of("--attacks=LIST", "--modes=LIST", "--protocol=P", "--seed=N", "--eps=E",
                "--eps-l2=E", "--grid=G", "--plot=FILE.svg", "--autoattack=V");
        for (String option : shared) {
            assertEquals(help(evaluate, option), help(score, option), option + " is described the same way");
        }
        assertTrue(help(evaluate, "--attacks=LIST").contains("orall:"), "--attacks all works in both");
        assertEquals(0, run("help", "score"));
        assertTrue(out().startsWith("Usage: bristle score "));
    }

    /** An option's help: its line and its continuation lines, without whitespace (lines wrap by column width). */
    private static String help(String usage, String option) {
        List<String> lines = usage.lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) if (lines.get(i).trim().startsWith(option)) start = i;
        if (start < 0) throw new AssertionError(option + " missing from:\n" + usage);
        StringBuilder text = new StringBuilder(lines.get(start));
        for (int i = start + 1; i < lines.size() && !lines.get(i).trim().startsWith("-"); i++) {
            text.append(' ').append(lines.get(i));
        }
        return text.toString().replaceAll("\\s+", "");
    }

    @Test
    void anUnknownAttackExitsTwoWithOneLine() {
        assertEquals(2, run("evaluate", "--model", model(), "--data", data(), "--attacks", "NOPE"));
        assertEquals(List.of("bristle evaluate: --attacks: unknown attack 'NOPE'; valid attacks: FGSM, PGD, PGD_L2,"
                + " CW, DeepFool, AutoAttack, Square, SPSA, Noise (or all) (see bristle evaluate --help)"),
                err().lines().toList());
        assertEquals("", out());
        assertEquals(2, run("score", "--file", model(), "--dataset", "CIFAR-10", "--ipc", "1", "--method", "X",
                "--attacks", "NOPE"));
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void unknownOptionsAndCommandsExitTwo() {
        List<List<String>> commands = List.of(List.of("evaluate", "--model", model(), "--data", data()),
                List.of("score", "--file", model(), "--dataset", "CIFAR-10", "--ipc", "1", "--method", "X"),
                List.of("regress"), List.of("import", "."));
        for (List<String> command : commands) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add("--frobnicate");
            assertEquals(2, run(args.toArray(String[]::new)), command.get(0));
            assertEquals(List.of("bristle " + command.get(0) + ": Unknown option: '--frobnicate' (see bristle "
                    + command.get(0) + " --help)"), err().lines().toList());
        }
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("frobnicate"), err());
        assertEquals(2, run(), "no command is bad usage");
        assertTrue(out().contains("evaluate") && out().contains("import") && out().contains("completion"),
                "out: " + out() + "\nerr: " + err());
        assertEquals(0, run("--help"));
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptions() {
        assertEquals(0, run("completion"));
        String script = out();
        assertTrue(script.contains("complete -F"), script.substring(0, Math.min(500, script.length())));
        for (String word : List.of("evaluate", "score", "regress", "import", "--attacks", "--protocol")) {
            assertTrue(script.contains(word), word);
        }
        assertTrue(script.contains("PGD_L2"), "attack names are completion candidates");
    }

    @Test
    void progressIsABarOnATerminalAndThrottledLinesElsewhere() {
        AtomicLong clock = new AtomicLong();
        StringWriter bar = new StringWriter();
        CliProgress terminal = new CliProgress(new PrintWriter(bar), true, clock::get);
        terminal.update(0, 200, "PGD untargeted");
        clock.addAndGet(150);
        terminal.update(100, 200, "PGD untargeted");
        terminal.update(150, 200, "PGD untargeted");
        terminal.update(200, 200, "PGD untargeted");
        terminal.finish();
        String drawn = bar.toString();
        assertTrue(drawn.contains("\r[" + "#".repeat(15) + " ".repeat(15) + "]  50 % PGD untargeted"), drawn);
        assertTrue(drawn.contains("\r[" + "#".repeat(30) + "] 100 % PGD untargeted"), drawn);
        assertFalse(drawn.contains(" 75 %"), "redrawn at most every 100 ms: " + drawn);
        assertTrue(drawn.endsWith("\n"));

        StringWriter log = new StringWriter();
        CliProgress plain = new CliProgress(new PrintWriter(log), false, clock::get);
        plain.stage("attacks: 2 runs");
        for (int done = 0; done <= 200; done += 20) {
            plain.update(done, 200, "FGSM untargeted");
            clock.addAndGet(300);
        }
        List<String> lines = log.toString().lines().toList();
        assertEquals("attacks: 2 runs", lines.get(0));
        assertFalse(log.toString().contains("\r"), "no control characters in logs");
        assertTrue(lines.size() < 8, "about one line a second: " + lines);
        assertEquals("  200/200 (100 %) FGSM untargeted", lines.get(lines.size() - 1));
    }

    @Test
    void importCopiesTheListedFilesCheckingTheirChecksums(@TempDir Path home) throws Exception {
        Path models = home.resolve("model-pool");
        Path data = home.resolve("data");
        assertEquals(0, run("import", SharedData.path("beard/model-pool").toString(), "--model-pool-dir",
                models.toString(), "--data-dir", data.toString()), err());
        assertTrue(out().contains("6 of 8 listed files found"), out());
        assertTrue(out().contains("6 copied, 0 already in place, 0 with another checksum"), out());
        assertTrue(Files.isRegularFile(models.resolve("BACON_ConvNet_CIFAR10_50_None_0.6995.pth")));

        assertEquals(0, run("import", SharedData.path("data/distilled/DC").toString(), "--model-pool-dir",
                models.toString(), "--data-dir", data.toString()), err());
        assertTrue(out().contains("2 of 8 listed files found"), out());
        assertTrue(Files.isRegularFile(data.resolve("distilled/DC/res_DC_CIFAR10_ConvNet_1ipc.pt")),
                "where the app's start-up import looks for the DC sets");

        assertEquals(0, run("import", SharedData.path("beard/model-pool").toString(), "--model-pool-dir",
                models.toString(), "--data-dir", data.toString()));
        assertTrue(out().contains("0 copied, 6 already in place"), out());

        Path altered = home.resolve("altered");
        Files.createDirectories(altered);
        byte[] bytes = Files.readAllBytes(SharedData.path("beard/model-pool/DM_ConvNet_CIFAR10_50_None.pth"));
        bytes[bytes.length / 2] ^= 1;
        Files.write(altered.resolve("DM_ConvNet_CIFAR10_50_None.pth"), bytes);
        Path fresh = home.resolve("fresh-pool");
        assertEquals(1, run("import", altered.toString(), "--model-pool-dir", fresh.toString(), "--data-dir",
                data.toString()), "a listed file with another checksum is a failed check");
        assertTrue(out().contains("refused DM_ConvNet_CIFAR10_50_None.pth"), out());
        assertFalse(Files.exists(fresh.resolve("DM_ConvNet_CIFAR10_50_None.pth")), "nothing copied");

        assertEquals(2, run("import", home.resolve("nowhere").toString()));
        assertEquals(List.of("bristle import: no such directory " + home.resolve("nowhere")), err().lines().toList());
    }

    /** A command that fails as {@code failure} says: the user's mistake, or a bug. */
    @picocli.CommandLine.Command(name = "fail")
    static final class FailingCommand implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--bug")
        boolean bug;

        @Override
        public Integer call() {
            if (bug) throw new IllegalArgumentException("simulated precondition that code violated");
            throw new dev.bristle.input.InvalidInputException("unknown dataset 'CIFAR-11' (simulated)");
        }
    }

    @Test
    void theUsersMistakeExitsTwoInOneLineAndABugSeventyWithItsTrace() {
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        picocli.CommandLine line = BristleCli.standard().commandLine(new PrintWriter(new StringWriter()), errWriter);
        line.addSubcommand(new FailingCommand());
        line.setErr(errWriter); // again, for the command added after
        assertEquals(2, line.execute("fail"));
        assertEquals("bristle fail: unknown dataset 'CIFAR-11' (simulated)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(70, line.execute("fail", "--bug"));
        assertTrue(err.toString().startsWith("bristle fail: simulated precondition that code violated"), err.toString());
        assertTrue(err.toString().contains("at dev.bristle.cli.CommandLineTest$FailingCommand.call"), err.toString());
    }
}
