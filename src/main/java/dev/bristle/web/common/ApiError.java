package dev.bristle.web.common;

/** The body of every error under /api. */
public record ApiError(int status, String error) {
}
