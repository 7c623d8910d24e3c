package dev.ordo.planner.diag;

import java.util.Comparator;

/**
 * A position in a configuration file: 1-based line and column. Column counts characters (not bytes).
 * Line 0 means "the file as a whole" (for example a file that cannot be read).
 */
public record Source(String file, int line, int column) implements Comparable<Source> {

    public static final Comparator<Source> ORDER = Comparator.comparing((Source s) -> s.file())
            .thenComparingInt(Source::line)
            .thenComparingInt(Source::column);

    public Source {
        if (file == null) throw new IllegalArgumentException("file");
    }

    /** The whole file, no particular line. */
    public static Source file(String file) {
        return new Source(file, 0, 0);
    }

    public Source withColumn(int newColumn) {
        return new Source(file, line, newColumn);
    }

    @Override
    public int compareTo(Source o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        if (line <= 0) return file;
        return file + ":" + line + ":" + column;
    }
}
