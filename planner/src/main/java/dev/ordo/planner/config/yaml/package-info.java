/**
 * ordo's own format, ordo.yaml: read with SnakeYAML's node API so that every key and value keeps its line and
 * column (docs/configuration.md is the reference, docs/ordo.schema.json the schema); also written back, for
 * tests that round-trip generated configurations.
 */
package dev.ordo.planner.config.yaml;
