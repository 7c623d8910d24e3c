package dev.ordo.planner.model;

/** The configuration formats ordo reads; each has one reader. */
public enum Format {
    YAML("ordo.yaml"),
    UPSTART("upstart"),
    SYSTEMD("systemd");

    private final String label;

    Format(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
