package dev.ordo.planner.model;

/** An instance name template such as {@code $TTY} or {@code ${cluster:-ceph}/$id}. */
public record Template(String text, Source source) {
}
