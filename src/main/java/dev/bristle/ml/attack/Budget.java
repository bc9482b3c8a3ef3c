package dev.bristle.ml.attack;

import dev.bristle.input.InvalidInputException;

/**
 * The perturbation bound of a budgeted attack, in the attack space's units (pixels in the sound protocol).
 *
 * @param norm the norm the bound is measured in
 * @param eps  the largest allowed perturbation norm
 */
public record Budget(Norm norm, double eps) {

    public Budget {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new InvalidInputException("eps must be finite and non-negative, not " + eps);
        }
    }
}
