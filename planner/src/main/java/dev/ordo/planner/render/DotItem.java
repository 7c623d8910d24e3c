package dev.ordo.planner.render;

import java.util.Map;
import org.jgrapht.nio.Attribute;

/**
 * A node or an edge of a Graphviz picture with its attributes, in the order they are written. Equal
 * only to itself, so two identical waits stay two edges.
 */
final class DotItem {
    private final String id;
    private final Map<String, Attribute> attrs;

    DotItem(String id, Map<String, Attribute> attrs) {
        this.id = id;
        this.attrs = attrs;
    }

    String id() {
        return id;
    }

    Map<String, Attribute> attrs() {
        return attrs;
    }
}
