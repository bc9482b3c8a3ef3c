package dev.bristle.web;

/** htmx marks its requests with the header {@code HX-Request: true}; those get a fragment, not a page. */
final class Htmx {

    static final String REQUEST_HEADER = "HX-Request";

    private Htmx() {
    }

    static boolean isHtmx(String requestHeader) {
        return "true".equalsIgnoreCase(requestHeader);
    }
}
