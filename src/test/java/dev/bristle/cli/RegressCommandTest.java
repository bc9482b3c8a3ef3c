package dev.bristle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bristle.published.PublishedResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressCommandTest extends CommandLineHarness {

    private static Path leaderboards() {
        return Path.of(System.getProperty("leaderboards.dir", "leaderboards"));
    }

    @Test
    void passesOnThePublishedResultsAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("out/regress.json");
        assertEquals(0, run("regress", "--json", json.toString()), err::toString);
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("26 checks within 0.005: 25 passed, 0 failed, 1 skipped"), table);
        JsonNode document = new ObjectMapper().readTree(json.toFile());
        assertTrue(document.get("passed").asBoolean());
        assertEquals(26, document.get("checks").size());
        assertTrue(document.get("checks").get(0).has("recomputed"));
    }

    @Test
    void failsWhenAPublishedValueIsAltered(@TempDir Path tmp) throws Exception {
        copyLeaderboards(tmp);
        ObjectMapper mapper = new ObjectMapper();
        Path board = tmp.resolve(PublishedResults.LEADERBOARD_FILE);
        ObjectNode document = (ObjectNode) mapper.readTree(board.toFile());
        for (JsonNode entry : (ArrayNode) document.get("entries")) {
            if (entry.get("method").asText().equals("BACON") && entry.get("dataset").asText().equals("CIFAR-10")
                    && entry.get("ipc").asText().equals("50")) {
                ((ObjectNode) entry).put("crei", 28.49);
            }
        }
        mapper.writeValue(board.toFile(), document);

        assertEquals(1, run("regress", "--leaderboards", tmp.toString()));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("1 failed"), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("CREI") && l.contains("28.49") && l.contains("fail")), table);
    }

    @Test
    void aLooserToleranceAcceptsTheAlteredValue(@TempDir Path tmp) throws Exception {
        copyLeaderboards(tmp);
        assertEquals(0, run("regress", "--leaderboards", tmp.toString(), "--tolerance", "0.01"));
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage(@TempDir Path tmp) {
        assertEquals(2, run("regress", "--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option: '--frobnicate'"));
        assertEquals(2, run("regress", "--tolerance", "-1"));
        assertEquals(2, run("regress", "--json"));
        assertEquals(2, run("regress", "--leaderboards", tmp.resolve("missing").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
        assertEquals(2, run("no-such-command"));
    }

    private static void copyLeaderboards(Path target) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var stream = Files.list(leaderboards())) {
            stream.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
        }
        for (Path file : files) {
            Files.copy(file, target.resolve(file.getFileName()));
        }
    }
}
