package dev.ordo.planner.diag;

/** How bad a diagnostic is. Errors fail {@code ordo check}; warnings do so only with {@code --strict}. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
