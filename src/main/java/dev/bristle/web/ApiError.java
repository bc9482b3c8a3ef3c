package dev.bristle.web;

/** The body of every error under /api. */
public record ApiError(int status, String error) {
}
