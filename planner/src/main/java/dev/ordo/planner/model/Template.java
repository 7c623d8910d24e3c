package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/** An instance name template such as {@code $TTY} or {@code ${cluster:-ceph}/$id}. */
public record Template(String text, Source source) {
}
