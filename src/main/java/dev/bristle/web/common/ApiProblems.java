package dev.bristle.web.common;

import java.util.List;

/** A 400 under /api for a request with several things wrong, each named in {@code problems}. */
public record ApiProblems(int status, String error, List<String> problems) {
}
