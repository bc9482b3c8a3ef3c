package dev.bristle.web.pools;

import dev.bristle.modelpool.ModelView;

import java.util.List;

/**
 * The published checkpoints the model pool lacks or holds altered: the model pool page says so once, with the one
 * command that adds them all, instead of in each row.
 *
 * @param missing published checkpoints whose file is not in the pool
 * @param altered published checkpoints whose file is not the published one (another SHA-256)
 */
record MissingCheckpoints(int missing, int altered) {

    static MissingCheckpoints of(List<ModelView> models) {
        List<ModelView> published = models.stream().filter(m -> "published".equals(m.origin())).toList();
        return new MissingCheckpoints((int) published.stream().filter(m -> "missing".equals(m.status())).count(),
                (int) published.stream().filter(m -> "checksum-mismatch".equals(m.status())).count());
    }

    public int total() {
        return missing + altered;
    }
}
