package dev.bristle.web.accounts;

import dev.bristle.accounts.AuditService;
import dev.bristle.accounts.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The audit log for maintainers ({@link AuditApiResource} is its JSON twin). */
@Path("/audit")
@RolesAllowed(Role.MAINTAINER_NAME)
public class AuditResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<AuditService.AuditView> events);
    }

    @Inject
    AuditService audit;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.list(audit.recent(AuditService.LATEST));
    }
}
