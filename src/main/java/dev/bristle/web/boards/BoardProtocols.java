package dev.bristle.web.boards;

import dev.bristle.leaderboard.Dataset;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.web.common.WebError;

/**
 * The protocol of a board's address: when left out, BEARD's where BEARD published boards for the data set and the
 * sound protocol otherwise (Fashion-MNIST); a protocol the data set has no boards in is a 404.
 */
final class BoardProtocols {

    private BoardProtocols() {
    }

    static AttackProtocol of(Dataset dataset, AttackProtocol asked) {
        AttackProtocol protocol = asked != null ? asked
                : dataset.hasBoardsIn(AttackProtocol.BEARD) ? AttackProtocol.BEARD : AttackProtocol.SOUND;
        if (!dataset.hasBoardsIn(protocol)) {
            throw WebError.notFound("There is no " + dataset.label() + " leaderboard in BEARD's protocol: BEARD never"
                    + " measured it. Its boards are in the sound protocol (protocol=sound).");
        }
        return protocol;
    }
}
