package dev.bristle.ml.data;

/**
 * Which part of a dataset. For TinyImageNet, TEST means the labelled validation split: the official test split has
 * no labels, so the validation split is what every paper evaluates on.
 */
public enum Split { TRAIN, TEST }
