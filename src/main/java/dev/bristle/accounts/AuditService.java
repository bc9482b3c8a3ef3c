package dev.bristle.accounts;

import dev.bristle.text.ColumnText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/** The audit log: every change an account makes (uploads, jobs, reviews, accounts, tokens) is one line. */
@ApplicationScoped
public class AuditService {

    private static final int MAX_DETAIL = 500;

    /** One line of the log as the pages and the API show it. */
    public record AuditView(long id, Instant at, String actor, String action, String objectType, String objectId,
                            String detail) {
    }

    /** Records an action in the caller's transaction (or its own), so the line exists exactly when the change does. */
    @Transactional
    public void record(String actor, String action, String objectType, Object objectId, String detail) {
        AuditEvent event = new AuditEvent();
        event.at = Instant.now();
        event.actor = actor;
        event.action = action;
        event.objectType = objectType;
        event.objectId = objectId == null ? null : String.valueOf(objectId);
        event.detail = ColumnText.fit(detail, MAX_DETAIL);
        event.persist();
    }

    /** The latest lines of the log, newest first: what the audit page and its JSON twin show. */
    public static final int LATEST = 500;

    @Transactional
    public List<AuditView> recent(int limit) {
        return AuditEvent.recent(limit).stream().map(e -> new AuditView(e.id, e.at, e.actor, e.action, e.objectType,
                e.objectId, e.detail)).toList();
    }
}
