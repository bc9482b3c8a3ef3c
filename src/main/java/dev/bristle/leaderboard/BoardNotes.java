package dev.bristle.leaderboard;

import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a board shows beside its rows: notes on where its numbers come from, the paper's full-size student and, on
 * adversarial-training boards, BEARD's Table 4.
 */
final class BoardNotes {

    private BoardNotes() {
    }

    /** The notes under a board: where its numbers come from, its baseline, its training recipe. */
    static List<String> notes(Dataset dataset, Ipc ipc, AttackMode mode, AttackProtocol protocol,
                              TrainingRecipe.Kind recipe, boolean hasBaseline) {
        List<String> notes = new ArrayList<>(protocol == AttackProtocol.BEARD ? beardNotes(dataset, ipc, mode)
                : soundNotes(dataset));
        notes.add(hasBaseline ? "Baseline: the random subset of " + dataset.label() + " at " + ipc.label()
                + " (real training images drawn class-balanced by Bristle, trained and attacked like every entry);"
                + " each row's gain is its clean and robust accuracy minus the baseline's, in points."
                : "No random-subset baseline has been measured for this board yet: gains over it are not shown.");
        if (recipe.equals(TrainingRecipe.Kind.PGD_AT)) {
            notes.add("Students trained with PGD adversarial examples of the distilled images (Madry et al.), ranked"
                    + " apart from standard training.");
        }
        return notes;
    }

    /** BEARD's Table 4 for {@code dataset} and {@code mode}: each method's CREI with and without adversarial training. */
    static List<BoardView.Table4Row> table4(Dataset dataset, AttackMode mode) {
        Map<String, Map<String, Double>> byMethod = new java.util.TreeMap<>();
        for (PaperTableValue v : PaperTableValue.table4(dataset.label(), mode.key())) {
            byMethod.computeIfAbsent(v.method, m -> new java.util.HashMap<>()).put(v.training, v.value);
        }
        return byMethod.entrySet().stream().map(e -> new BoardView.Table4Row(e.getKey(), e.getValue().get("standard"),
                e.getValue().get("adversarial"))).toList();
    }

    /**
     * The paper's Full-size student: Table 1 has RRM, AEM and CREI of the unified setting; Tables 2 (targeted) and
     * 3 (untargeted) give its CREI once, since a whole training set has no IPC.
     */
    static BoardView.FullSizeReference fullSize(Dataset dataset, Ipc ipc, AttackMode mode) {
        int table = ipc == Ipc.ALL ? 1 : mode == AttackMode.TARGETED ? 2 : 3;
        List<PaperTableValue> values = PaperTableValue.fullSize(dataset.label(), mode.key()).stream()
                .filter(v -> v.tableNumber == table).toList();
        if (values.isEmpty()) {
            return null;
        }
        Map<String, PaperTableValue> byMetric = values.stream()
                .collect(Collectors.toMap(v -> v.metric, v -> v, (a, b) -> a));
        List<String> notes = values.stream().filter(v -> v.note != null)
                .map(v -> v.metric + ": " + v.note).toList();
        String scope = ipc == Ipc.ALL ? "unified setting" : "no IPC: the paper reports it once for all IPCs";
        return new BoardView.FullSizeReference("paper Table " + table, scope, valueOf(byMetric, "CREI"),
                valueOf(byMetric, "RRM"), valueOf(byMetric, "AEM"), notes);
    }

    private static Double valueOf(Map<String, PaperTableValue> byMetric, String metric) {
        PaperTableValue v = byMetric.get(metric);
        return v == null ? null : v.value;
    }

    private static List<String> soundNotes(Dataset dataset) {
        AttackBudgets budgets = AttackBudgets.of(AttackProtocol.SOUND, dataset.kind());
        return List.of("Measured by Bristle with its sound protocol: attacks in pixel space with the normalization"
                        + " inside the model, at " + dataset.label() + "'s recorded budgets ("
                        + budgetText(budgets.linf()) + " L-inf, " + String.format(Locale.ROOT, "%.2f", budgets.l2())
                        + " L2). BEARD published nothing in this protocol, so its entries are on the boards of"
                        + " BEARD's protocol only.",
                "An entry is ranked only when it was measured with the protocol's official settings; a"
                        + " preliminary entry is listed below the ranked ones, unranked, with what differs.");
    }

    /** 1/255 for CIFAR's budget, 0.1 for Fashion-MNIST's: as the README states them. */
    private static String budgetText(double linf) {
        double in255 = linf * 255;
        return Math.abs(in255 - Math.rint(in255)) < 1e-9 ? String.format(Locale.ROOT, "%.0f/255", in255)
                : String.format(Locale.ROOT, "%.2f", linf);
    }

    private static List<String> beardNotes(Dataset dataset, Ipc ipc, AttackMode mode) {
        List<String> notes = new ArrayList<>();
        if (mode == AttackMode.UNTARGETED) {
            notes.add("Published numbers: BEARD's leaderboard (untargeted attacks).");
        } else if (ipc == Ipc.ALL) {
            notes.add("Published numbers: the BEARD paper's Table 1 (targeted attacks, unified); paper, venue and"
                    + " flags as on the method's untargeted row.");
        } else {
            notes.add("Published numbers: the BEARD paper's Table 2 (targeted CREI per IPC); paper, venue and"
                    + " flags as on the method's untargeted row.");
            notes.add("BEARD publishes no targeted RRM or AEM per IPC, only CREI: those columns stay empty.");
        }
        if (mode == AttackMode.TARGETED) {
            int table = ipc == Ipc.ALL ? 1 : 2;
            List<String> missing = PaperTableValue.unprintedCrei(table, mode.key(), dataset.label(), ipc.key());
            if (!missing.isEmpty()) {
                notes.add("The paper prints no value (\"/\") for " + String.join(", ", missing)
                        + " here; they are left out.");
            }
        }
        return notes;
    }
}
