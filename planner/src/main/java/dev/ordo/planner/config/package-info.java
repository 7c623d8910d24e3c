/**
 * What the readers share: the result a reader hands back ({@link dev.ordo.planner.config.ReadResult}), the
 * parser of Upstart-style event expressions (used by {@code start_on} in ordo.yaml and {@code start on} in job
 * files) and the decoding of configuration text. The readers themselves live one level down, one package per
 * format, none importing another; {@code config.load} picks the reader for each file.
 */
package dev.ordo.planner.config;
