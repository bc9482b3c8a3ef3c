package dev.bristle.web.common;

/**
 * htmx marks its requests with {@code HX-Request: true}; those get a fragment, not a page. A history restore
 * (back button after htmx's cache was evicted) also carries {@code HX-Request} but needs the whole page.
 */
public final class Htmx {

    public static final String REQUEST_HEADER = "HX-Request";
    public static final String HISTORY_RESTORE_HEADER = "HX-History-Restore-Request";
    /** A response header telling htmx to load another page. */
    public static final String REDIRECT_HEADER = "HX-Redirect";

    private Htmx() {
    }

    public static boolean wantsFragment(String request, String historyRestore) {
        return "true".equalsIgnoreCase(request) && !"true".equalsIgnoreCase(historyRestore);
    }
}
