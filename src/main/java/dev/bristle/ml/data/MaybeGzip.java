package dev.bristle.ml.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Files kept either as they are or gzip-compressed (the IDX files of MNIST and Fashion-MNIST). */
final class MaybeGzip {

    private MaybeGzip() {
    }

    /** Opens a file's content, decompressing it when it starts with the gzip signature. */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
