package dev.bristle.ml.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * The one way into DJL: forces offline mode before the engine starts, so PyTorch's native library is taken from the
 * {@code pytorch-native-*} jar on the class path (extracted once into {@code DJL_CACHE_DIR}) and nothing is fetched
 * from the network.
 */
public final class Djl {

    private static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private Djl() {
    }

    /** The versions of DJL and of the PyTorch library it runs, for a run's provenance. */
    public record Versions(String djl, String pytorch) {
    }

    public static Versions versions() {
        return new Versions(Engine.getDjlVersion(), engine().getVersion());
    }

    /** The PyTorch engine, started offline. Call this before any other DJL class is used. */
    public static Engine engine() {
        System.setProperty(OFFLINE_PROPERTY, "true");
        return Engine.getEngine("PyTorch");
    }

    /**
     * Whether PyTorch records operations for autograd on this thread: inside a {@code GradientCollector}, and on any
     * thread PyTorch did not start with recording off (its default is on), unless {@link #withoutGradients} holds.
     */
    public static boolean recordsGradients() {
        return JniUtils.isGradMode();
    }

    /**
     * Runs {@code work} with PyTorch's gradient recording off on this thread ({@code torch.no_grad()}), as forward-only
     * passes should run, and restores the mode it found.
     */
    public static <T> T withoutGradients(Supplier<T> work) {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }
}
