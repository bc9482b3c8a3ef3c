package dev.bristle.leaderboard;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The app's URLs, built in one place so pages, fragments and JSON agree. */
public final class Links {

    private Links() {
    }

    public static String home(AttackMode mode, AttackProtocol protocol) {
        return "/?mode=" + mode.key() + protocolParam(protocol);
    }

    public static String board(Dataset dataset, Ipc ipc, AttackMode mode, AttackProtocol protocol,
                               TrainingRecipe.Kind recipe) {
        return "/boards/" + dataset.slug() + "/" + ipc.key() + "?mode=" + mode.key() + protocolParam(protocol)
                + recipeParam(recipe);
    }

    public static String board(Dataset dataset, Ipc ipc, AttackMode mode, AttackProtocol protocol,
                               TrainingRecipe.Kind recipe, SortColumn sort, SortDirection dir) {
        return board(dataset, ipc, mode, protocol, recipe) + "&sort=" + sort.key() + "&dir=" + dir.key();
    }

    /** Standard training is the default: the URLs from before boards had a recipe mean it. */
    private static String recipeParam(TrainingRecipe.Kind recipe) {
        return recipe == TrainingRecipe.Kind.STANDARD ? "" : "&recipe=" + recipe.key();
    }

    /** BEARD's protocol is the default: its URLs stay as they were before boards had a protocol. */
    private static String protocolParam(AttackProtocol protocol) {
        return protocol == AttackProtocol.BEARD ? "" : "&protocol=" + protocol.key();
    }

    public static String entry(Dataset dataset, String method) {
        return "/entries/" + dataset.slug() + "/" + URLEncoder.encode(method, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A scoring job's page; null for no job. */
    public static String job(Long id) {
        return id == null ? null : "/jobs/" + id;
    }

    /** A submission's page; null for no submission. */
    public static String submission(Long id) {
        return id == null ? null : "/submissions/" + id;
    }

    /** The JSON twin of a board or entry page. */
    public static String api(String pageUrl) {
        return "/api" + pageUrl;
    }
}
