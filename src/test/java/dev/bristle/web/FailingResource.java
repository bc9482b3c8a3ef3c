package dev.bristle.web;

import dev.bristle.input.InvalidInputException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only routes that fail the way a bug or the user's mistake would, to check the error mapper. */
@Path("/")
public class FailingResource {

    @GET
    @Path("/test-failure")
    public String page() {
        throw new IllegalStateException("simulated bug behind a page");
    }

    @GET
    @Path("/api/test-failure")
    public String api() {
        throw new IllegalStateException("simulated bug behind the API");
    }

    @GET
    @Path("/api/test-failure/precondition")
    public String precondition() {
        throw new IllegalArgumentException("simulated precondition that code violated");
    }

    @GET
    @Path("/test-failure/invalid-input")
    public String invalidInputPage() {
        throw new InvalidInputException("unknown dataset 'CIFAR-11' (simulated)");
    }

    @GET
    @Path("/api/test-failure/invalid-input")
    public String invalidInput() {
        throw new InvalidInputException("unknown dataset 'CIFAR-11' (simulated)");
    }
}
