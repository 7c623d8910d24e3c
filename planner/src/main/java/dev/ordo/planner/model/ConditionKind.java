package dev.ordo.planner.model;

/**
 * What a systemd {@code Condition…=} or {@code Assert…=} line tests (systemd.unit(5), "Conditions and
 * Asserts"). The names are systemd's, without the {@code Condition}/{@code Assert} prefix; whether the
 * parameter is a path (absolute, with specifiers expanded as a path) follows systemd's load-fragment.c.
 */
public enum ConditionKind {
    ARCHITECTURE("Architecture", false),
    FIRMWARE("Firmware", false),
    VIRTUALIZATION("Virtualization", false),
    HOST("Host", false),
    KERNEL_COMMAND_LINE("KernelCommandLine", false),
    KERNEL_VERSION("KernelVersion", false),
    CREDENTIAL("Credential", false),
    SECURITY("Security", false),
    CAPABILITY("Capability", false),
    AC_POWER("ACPower", false),
    NEEDS_UPDATE("NeedsUpdate", true),
    FIRST_BOOT("FirstBoot", false),
    PATH_EXISTS("PathExists", true),
    PATH_EXISTS_GLOB("PathExistsGlob", true),
    PATH_IS_DIRECTORY("PathIsDirectory", true),
    PATH_IS_SYMBOLIC_LINK("PathIsSymbolicLink", true),
    PATH_IS_MOUNT_POINT("PathIsMountPoint", true),
    PATH_IS_READ_WRITE("PathIsReadWrite", true),
    PATH_IS_ENCRYPTED("PathIsEncrypted", true),
    DIRECTORY_NOT_EMPTY("DirectoryNotEmpty", true),
    FILE_NOT_EMPTY("FileNotEmpty", true),
    FILE_IS_EXECUTABLE("FileIsExecutable", true),
    USER("User", false),
    GROUP("Group", false),
    CONTROL_GROUP_CONTROLLER("ControlGroupController", false),
    MEMORY("Memory", false),
    CPUS("CPUs", false),
    CPU_FEATURE("CPUFeature", false),
    ENVIRONMENT("Environment", false),
    OS_RELEASE("OSRelease", false),
    MEMORY_PRESSURE("MemoryPressure", false),
    CPU_PRESSURE("CPUPressure", false),
    IO_PRESSURE("IOPressure", false);

    private final String word;
    private final boolean path;

    ConditionKind(String word, boolean path) {
        this.word = word;
        this.path = path;
    }

    /** systemd's name without the prefix: {@code PathExists}. */
    public String word() {
        return word;
    }

    /** The parameter is an absolute path (systemd ignores the line otherwise). */
    public boolean path() {
        return path;
    }

    /** The kind a unit-file key names ({@code ConditionPathExists}, {@code AssertUser}), or null. */
    public static ConditionKind ofKey(String key) {
        String w;
        if (key.startsWith("Condition")) w = key.substring("Condition".length());
        else if (key.startsWith("Assert")) w = key.substring("Assert".length());
        else return null;
        for (ConditionKind k : values()) if (k.word.equals(w)) return k;
        return null;
    }
}
