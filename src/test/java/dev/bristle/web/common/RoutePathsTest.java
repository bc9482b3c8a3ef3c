package dev.bristle.web.common;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Request paths as the routes they reach, for the rate limits. */
class RoutePathsTest {

    @Test
    void everySpellingOfARouteIsThatRoute() {
        for (String path : List.of("/api/datasets", "/api/datasets/", "/api/datasets;x=1", "/api;x=1/datasets;y",
                "//api//datasets//", "/api/%64atasets", "/api%2Fdatasets", "/API/Datasets", "/api/./datasets",
                "/api/x/../datasets", "/api/%2e/datasets", "/api/%252e/datasets", "\\api\\datasets",
                "/api/datasets/;x=1")) {
            assertEquals("/api/datasets", RoutePaths.route(path), path);
        }
    }

    @Test
    void otherPathsStayOtherRoutes() {
        assertEquals("/", RoutePaths.route("/"));
        assertEquals("/", RoutePaths.route("/../.."));
        assertEquals("/api/datasets/1/hide", RoutePaths.route("/api/datasets/1/hide"));
        assertEquals("/login+x", RoutePaths.route("/login+x"));
        assertEquals("/login%zz", RoutePaths.route("/login%zz"));
    }
}
