package dev.bristle.ml.attack;

/** The norm an attack budget is measured in. */
public enum Norm {
    LINF, L2
}
