package dev.bristle.ml.engine;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What a run's provenance names about the software and machine: Bristle's version and the git commit it was built
 * from (from {@code bristle-build.properties}, which Maven fills in; the commit only when the launcher built it from a
 * git checkout), DJL's and PyTorch's versions, the device and PyTorch's threads.
 *
 * @param commit null when not known at build time
 */
public record BuildInfo(String bristleVersion, String commit, String djlVersion, String pytorchVersion, String device,
                        int threads) {

    private static final String RESOURCE = "bristle-build.properties";

    /** The running Bristle on {@code device}. */
    public static BuildInfo of(Device device) {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Djl.Versions versions = Djl.versions();
        return new BuildInfo(known(build.getProperty("version")), known(build.getProperty("commit")),
                versions.djl(), versions.pytorch(), device.toString(), JniUtils.getNumThreads());
    }

    /** An unfilled placeholder (a build that did not filter the file) is not a value. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? null : value.trim();
    }
}
