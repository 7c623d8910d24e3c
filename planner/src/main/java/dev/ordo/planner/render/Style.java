package dev.ordo.planner.render;

/** ANSI styling, or none. Colour is for terminals only, and never with {@code NO_COLOR} set. */
public record Style(boolean color) {

    public static final Style PLAIN = new Style(false);

    /** Colour when stdout is a terminal and NO_COLOR is unset (https://no-color.org). */
    public static Style detect() {
        String noColor = System.getenv("NO_COLOR");
        boolean tty = System.console() != null;
        return new Style(tty && (noColor == null || noColor.isEmpty()));
    }

    public String red(String s) {
        return wrap("1;31", s);
    }

    public String yellow(String s) {
        return wrap("1;33", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String cyan(String s) {
        return wrap("36", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
