package dev.ordo.planner.model;

/** A name with the place it was written: an exported variable, an emitted event, an alias. */
public record Named(String name, Source source) {
}
