package dev.bristle.web.accounts;

import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The audit log as JSON, newest first (maintainers). */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.MAINTAINER_NAME)
@Tag(name = "Accounts")
public class AuditApiResource {

    @Inject
    AuditService audit;

    @GET
    @Operation(summary = "The latest 500 lines of the audit log (maintainers)")
    public List<AuditService.AuditView> recent() {
        return audit.recent(AuditService.LATEST);
    }
}
