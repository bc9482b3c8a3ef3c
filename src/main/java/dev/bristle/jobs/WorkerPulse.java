package dev.bristle.jobs;

/** Fired (a CDI event) each time this instance's engine looks for work or beats for work it runs: the worker lives. */
public record WorkerPulse(String instanceId) {
}
