package dev.bristle;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/probe")
public class Probe {
    @GET
    public String get() { return "ok"; }
}
