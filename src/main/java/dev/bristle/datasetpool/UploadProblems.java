package dev.bristle.datasetpool;

import dev.bristle.config.BristleConfig;
import dev.bristle.text.Excerpts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What is wrong with an upload before its files are read: the form's statements (Bean Validation of
 * {@link UploadForm}) and the files themselves (count, names, emptiness, total size), each as "Label: problem.".
 */
@ApplicationScoped
public class UploadProblems {

    /** Two names joined by " + " fit the original_name column (500 characters). */
    static final int MAX_FILE_NAME_LENGTH = 240;

    @Inject
    Validator validator;

    @Inject
    BristleConfig config;

    /** Every problem of the form, then of the files; empty when the upload may be read. */
    List<String> of(UploadForm form, List<UploadedFile> files) {
        List<String> problems = formProblems(form);
        problems.addAll(fileProblems(files));
        return problems;
    }

    /** The form's constraint violations ({@link UploadForm}), each as "Label: problem.", in the form's order. */
    private List<String> formProblems(UploadForm form) {
        List<String> fields = List.copyOf(UploadForm.LABELS.keySet());
        return validator.validate(form).stream()
                .sorted(java.util.Comparator.comparingInt((ConstraintViolation<UploadForm> v) ->
                        fields.indexOf(v.getPropertyPath().toString())).thenComparing(ConstraintViolation::getMessage))
                .map(v -> UploadForm.LABELS.get(v.getPropertyPath().toString()) + ": " + v.getMessage() + ".")
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    private List<String> fileProblems(List<UploadedFile> files) {
        List<String> problems = new ArrayList<>();
        if (files.isEmpty()) {
            problems.add("File: choose the distilled set's file.");
            return problems;
        }
        if (files.size() > 2) {
            problems.add("File: at most two files (MTT's images_best.pt and labels_best.pt), found " + files.size()
                    + ".");
        } else if (files.size() == 2 && files.stream().filter(f -> isLabelsFile(f.fileName())).count() != 1) {
            problems.add("File: two files must be MTT's images and labels, exactly one with 'label' in its name;"
                    + " found " + files.get(0).fileName() + " and " + files.get(1).fileName() + ".");
        }
        for (UploadedFile file : files) {
            if (file.fileName().length() > MAX_FILE_NAME_LENGTH) {
                problems.add("File: the name " + Excerpts.of(file.fileName()) + " is longer than "
                        + MAX_FILE_NAME_LENGTH + " characters; rename the file.");
            }
        }
        if (!problems.isEmpty()) return problems;
        long total = 0;
        for (UploadedFile file : files) {
            try {
                long size = Files.size(file.path());
                total += size;
                if (size == 0) problems.add("File: " + file.fileName() + " is empty.");
            } catch (IOException e) {
                problems.add("File: " + file.fileName() + " could not be read back after the upload.");
            }
        }
        if (total > config.uploadMaxBytes()) {
            problems.add("File: " + String.join(" + ", files.stream().map(UploadedFile::fileName).toList()) + " is "
                    + total + " bytes, more than the limit of " + config.uploadMaxBytes() + " bytes ("
                    + config.uploadMaxBytes() / (1024 * 1024) + " MiB).");
        }
        return problems;
    }

    /** MTT's labels file of an images-and-labels pair. */
    static boolean isLabelsFile(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).contains("label");
    }
}
