package dev.bristle.ml.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.bristle.input.InvalidInputException;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Chooses where tensors live from a setting {@code auto | cpu | gpu}. A GPU needs a CUDA build of PyTorch on the class
 * path and a visible CUDA device; without them both {@code auto} and {@code gpu} run on the CPU and say why.
 */
public final class ComputeDevice {

    private static final System.Logger LOG = System.getLogger(ComputeDevice.class.getName());

    /** The accepted values of the device setting. */
    public enum Setting {
        AUTO, CPU, GPU;

        public static Setting parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        "device setting must be one of auto, cpu, gpu; found '" + text + "'", e);
            }
        }
    }

    private ComputeDevice() {
    }

    /** The device for {@code setting} ({@code auto}, {@code cpu} or {@code gpu}), logged once chosen. */
    public static Device select(String setting) {
        return select(Setting.parse(setting));
    }

    public static Device select(Setting setting) {
        Engine engine = Djl.engine();
        if (setting == Setting.CPU) {
            LOG.log(Level.INFO, "Computing on the CPU (device setting cpu; PyTorch {0})", engine.getVersion());
            return Device.cpu();
        }
        int gpus = engine.getGpuCount();
        if (gpus > 0) {
            LOG.log(Level.INFO, "Computing on GPU 0 of {0} (device setting {1}; PyTorch {2})",
                    gpus, name(setting), engine.getVersion());
            return Device.gpu();
        }
        LOG.log(setting == Setting.GPU ? Level.WARNING : Level.INFO,
                "No GPU available to PyTorch {0} (CPU-only native library or no CUDA device); computing on the CPU"
                        + " (device setting {1})", engine.getVersion(), name(setting));
        return Device.cpu();
    }

    private static String name(Setting setting) {
        return setting.name().toLowerCase(Locale.ROOT);
    }
}
