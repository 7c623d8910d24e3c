package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/** A name with the place it was written: an exported variable, an emitted event, an alias. */
public record Named(String name, Source source) {
}
