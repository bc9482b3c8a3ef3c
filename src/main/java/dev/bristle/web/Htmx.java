package dev.bristle.web;

/**
 * htmx marks its requests with {@code HX-Request: true}; those get a fragment, not a page. A history restore
 * (back button after htmx's cache was evicted) also carries {@code HX-Request} but needs the whole page.
 */
final class Htmx {

    static final String REQUEST_HEADER = "HX-Request";
    static final String HISTORY_RESTORE_HEADER = "HX-History-Restore-Request";
    /** A response header telling htmx to load another page. */
    static final String REDIRECT_HEADER = "HX-Redirect";

    private Htmx() {
    }

    static boolean wantsFragment(String request, String historyRestore) {
        return "true".equalsIgnoreCase(request) && !"true".equalsIgnoreCase(historyRestore);
    }
}
