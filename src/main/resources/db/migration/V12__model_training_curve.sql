-- A trained student's training curve for its model card: one "epoch loss accuracy" line per epoch.
ALTER TABLE pool_model ADD COLUMN training_curve TEXT;
