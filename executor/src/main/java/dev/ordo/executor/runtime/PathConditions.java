package dev.ordo.executor.runtime;

import dev.ordo.planner.engine.ConditionResult;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.ConditionKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The path conditions of systemd.unit(5), tested as systemd's condition.c tests them (every check follows
 * symbolic links but {@code PathIsSymbolicLink}). Each answer is the bare test, before any {@code !}.
 */
final class PathConditions {

    private PathConditions() {
    }

    static Input.ConditionAnswer test(ConditionKind kind, String parameter, MachineFacts m) {
        Path p = Path.of(parameter);
        return switch (kind) {
            // access(F_OK): a link that leads nowhere does not exist.
            case PATH_EXISTS -> answer(Files.exists(p), parameter + (Files.exists(p) ? " exists" : " does not exist"));
            case PATH_EXISTS_GLOB -> glob(parameter);
            case PATH_IS_DIRECTORY -> answer(Files.isDirectory(p), parameter + (Files.isDirectory(p) ? " is" : " is not") + " a directory");
            case PATH_IS_SYMBOLIC_LINK -> answer(Files.isSymbolicLink(p), parameter + (Files.isSymbolicLink(p) ? " is" : " is not")
                    + " a symbolic link");
            case PATH_IS_MOUNT_POINT -> mountPoint(p, m);
            case PATH_IS_READ_WRITE -> readWrite(p);
            case PATH_IS_ENCRYPTED -> BlockDevices.encrypted(p, m);
            case DIRECTORY_NOT_EMPTY -> directoryNotEmpty(p);
            case FILE_NOT_EMPTY -> {
                boolean ok;
                try {
                    ok = Files.isRegularFile(p) && Files.size(p) > 0;
                } catch (IOException e) {
                    ok = false;
                }
                yield answer(ok, parameter + (ok ? " is a regular file with data" : " is not a regular file with data"));
            }
            case FILE_IS_EXECUTABLE -> {
                boolean ok = false;
                try {
                    Set<PosixFilePermission> x = Files.getPosixFilePermissions(p);
                    ok = Files.isRegularFile(p) && (x.contains(PosixFilePermission.OWNER_EXECUTE)
                            || x.contains(PosixFilePermission.GROUP_EXECUTE) || x.contains(PosixFilePermission.OTHERS_EXECUTE));
                } catch (IOException | UnsupportedOperationException e) {
                    ok = false;
                }
                yield answer(ok, parameter + (ok ? " is" : " is not") + " an executable regular file");
            }
            default -> throw new IllegalArgumentException(kind + " is not a path condition");
        };
    }

    static Input.ConditionAnswer answer(boolean holds, String why) {
        return new Input.ConditionAnswer(holds ? ConditionResult.HOLDS : ConditionResult.FAILS, why);
    }

    static Input.ConditionAnswer unknown(String why) {
        return new Input.ConditionAnswer(ConditionResult.UNKNOWN, why);
    }

    /** glob(3) with no flags but those systemd gives: a name starting with a dot matches only a pattern that does. */
    private static Input.ConditionAnswer glob(String pattern) {
        List<Path> level = List.of(Path.of("/"));
        for (String part : pattern.substring(1).split("/")) {
            if (part.isEmpty()) continue;
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                if (!isPattern(part)) {
                    Path c = dir.resolve(part);
                    if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) next.add(c);
                    continue;
                }
                if (!Files.isDirectory(dir)) continue;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path c : ds) {
                        String name = c.getFileName().toString();
                        if (name.startsWith(".") && !part.startsWith(".")) continue;
                        if (dev.ordo.planner.model.Glob.matches(part, name)) next.add(c);
                    }
                } catch (IOException e) {
                    // An unreadable directory matches nothing, as for glob(3) without GLOB_ERR.
                }
            }
            next.sort(null);
            level = next;
            if (level.isEmpty()) break;
        }
        return level.isEmpty() ? answer(false, "nothing matches " + pattern) : answer(true, level.get(0) + " matches " + pattern);
    }

    private static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** path_is_mount_point(AT_SYMLINK_FOLLOW): the path, resolved, is a mount point of /proc/self/mountinfo. */
    private static Input.ConditionAnswer mountPoint(Path p, MachineFacts m) {
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return answer(false, p + " does not exist");
        }
        String info = m.readOrNull("/proc/self/mountinfo");
        if (info == null) return unknown("/proc/self/mountinfo cannot be read");
        for (String line : info.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(real.toString())) return answer(true, real + " is a mount point");
        }
        return answer(false, real + " is not a mount point");
    }

    /** mountinfo escapes blanks, tabs, newlines and backslashes as \\ooo. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * path_is_read_only_fs: met unless the file system is mounted read-only; a path that does not exist is
     * not met, and any other error counts as read-write, as systemd counts it.
     */
    private static Input.ConditionAnswer readWrite(Path p) {
        if (!Files.exists(p)) return answer(false, p + " does not exist");
        try {
            boolean ro = Files.getFileStore(p).isReadOnly();
            return answer(!ro, p + " is on a " + (ro ? "read-only" : "read-write") + " file system");
        } catch (IOException e) {
            return answer(true, p + ": " + e.getMessage() + " (systemd takes it to be read-write)");
        }
    }

    /**
     * dir_is_empty(ignore_hidden_or_backup): met when the directory has an entry that is neither hidden nor a
     * backup; not a directory, or missing, is not met; any other error counts as not empty, as in systemd.
     */
    private static Input.ConditionAnswer directoryNotEmpty(Path p) {
        if (!Files.isDirectory(p)) return answer(false, p + " is not a directory");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            for (Path c : ds) {
                if (!hiddenOrBackup(c.getFileName().toString())) return answer(true, p + " has " + c.getFileName());
            }
            return answer(false, p + " is empty (hidden and backup files do not count)");
        } catch (IOException e) {
            return answer(true, p + ": " + e.getMessage() + " (systemd takes it to be not empty)");
        }
    }

    private static final List<String> BACKUP_SUFFIXES = List.of("rpmnew", "rpmsave", "rpmorig", "dpkg-old", "dpkg-new",
            "dpkg-tmp", "dpkg-dist", "dpkg-bak", "dpkg-backup", "dpkg-remove", "ucf-new", "ucf-old", "ucf-dist", "swp",
            "bak", "old", "new");

    /** systemd's hidden_or_backup_file(). */
    static boolean hiddenOrBackup(String name) {
        if (name.startsWith(".") || name.equals("lost+found") || name.equals("aquota.user") || name.equals("aquota.group")
                || name.endsWith("~")) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        return dot >= 0 && BACKUP_SUFFIXES.contains(name.substring(dot + 1));
    }
}
