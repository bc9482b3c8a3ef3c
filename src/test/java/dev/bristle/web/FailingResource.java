package dev.bristle.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only routes that fail the way a bug would, to check the catch-all error mapper. */
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
}
