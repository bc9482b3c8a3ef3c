package dev.bristle.ml.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeDeviceTest {

    @Test
    void pytorchStartsOfflineFromTheNativeJarIntoTheProjectCache() throws IOException {
        Engine engine = Djl.engine();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("2.7.1", engine.getVersion());
        assertTrue(Utils.isOfflineMode(), "DJL must run offline");
        // Surefire points DJL_CACHE_DIR into target/; the library must have been extracted there from the jar.
        Path cache = Path.of(System.getenv("DJL_CACHE_DIR"));
        try (Stream<Path> files = Files.walk(cache)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("libtorch_cpu.so")),
                    "libtorch_cpu.so not found under " + cache);
        }
    }

    @Test
    void cpuSettingAlwaysGivesTheCpu() {
        assertEquals(Device.cpu(), ComputeDevice.select("cpu"));
        assertEquals(Device.cpu(), ComputeDevice.select(" CPU "));
    }

    @Test
    void autoAndGpuFallBackToTheCpuWhenPytorchSeesNoGpu() {
        int gpus = Djl.engine().getGpuCount();
        Device expected = gpus > 0 ? Device.gpu() : Device.cpu();
        assertEquals(expected, ComputeDevice.select("auto"));
        assertEquals(expected, ComputeDevice.select("gpu"));
    }

    @Test
    void unknownSettingIsRejectedByName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.select("tpu"));
        assertTrue(error.getMessage().contains("'tpu'"), error.getMessage());
    }
}
