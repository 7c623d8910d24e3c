package dev.ordo.planner.config.systemd;

import dev.ordo.planner.config.Text;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the unit directories hold, by name, in systemd's precedence order (unit_file_build_name_map() and
 * unit_file_find_dropin_paths() in systemd 252): unit files, links (aliases and masks), drop-in
 * directories and {@code .wants/}/{@code .requires/} directories. A link may be a real symbolic link or,
 * as in checked-in trees, a small regular file whose whole content is the link's target.
 */
final class UnitTree {

    /** What a name in a unit directory is. */
    enum EntryKind { FILE, LINK, MASK }

    /**
     * One name in one directory.
     *
     * @param dir index of the directory in precedence order; -1 for a file named on the command line
     * @param target for a link, the path it points to as written
     * @param text for a file, its content
     */
    record UnitEntry(String name, Path path, int dir, String display, EntryKind kind, String target, String text,
                 boolean realLink) {
    }

    /** A directory of drop-ins or links belonging to a unit name, such as {@code foo.service.d}. */
    record SubDir(Path path, int dir) {
    }

    private final List<Path> dirs;
    private final Function<Path, String> display;
    private final Consumer<Diagnostic> report;
    /** Every entry by name, highest precedence first. */
    final Map<String, List<UnitEntry>> entries = new TreeMap<>();
    /** {@code foo.service} (from {@code foo.service.d}) → its drop-in directories, by precedence. */
    final Map<String, List<SubDir>> dropInDirs = new TreeMap<>();
    final Map<String, List<SubDir>> wantsDirs = new TreeMap<>();
    final Map<String, List<SubDir>> requiresDirs = new TreeMap<>();

    UnitTree(List<Path> dirs, Function<Path, String> display, Consumer<Diagnostic> report) {
        this.dirs = dirs;
        this.display = display;
        this.report = report;
    }

    void scan() {
        for (int d = 0; d < dirs.size(); d++) {
            Path dir = dirs.get(d);
            List<Path> list;
            try (Stream<Path> s = Files.list(dir)) {
                list = s.sorted().toList();
            } catch (IOException | RuntimeException e) {
                report.accept(Diagnostic.of(Code.UNREADABLE, Source.file(display.apply(dir)),
                        "cannot read unit directory: " + e.getClass().getSimpleName(), null));
                continue;
            }
            for (Path p : list) {
                String n = p.getFileName().toString();
                if (n.startsWith(".")) continue;
                if (Files.isDirectory(p)) {
                    if (n.endsWith(".d")) sub(dropInDirs, n.substring(0, n.length() - 2), p, d);
                    else if (n.endsWith(".wants")) sub(wantsDirs, n.substring(0, n.length() - 6), p, d);
                    else if (n.endsWith(".requires")) sub(requiresDirs, n.substring(0, n.length() - 9), p, d);
                    continue;
                }
                if (!UnitName.isValid(n)) continue;
                UnitEntry e = entry(n, p, d);
                if (e != null) entries.computeIfAbsent(n, k -> new ArrayList<>()).add(e);
            }
        }
    }

    /** Adds a file named on the command line; it takes precedence over every directory. */
    void addExplicit(Path p) {
        String n = p.getFileName().toString();
        UnitEntry e = entry(n, p, -1);
        if (e != null) entries.computeIfAbsent(n, k -> new ArrayList<>()).add(0, e);
    }

    private static void sub(Map<String, List<SubDir>> into, String owner, Path p, int d) {
        if (owner.isEmpty()) return;
        into.computeIfAbsent(owner, k -> new ArrayList<>()).add(new SubDir(p, d));
    }

    /** Reads one name: a real link, a file holding a link target, an empty file (a mask) or a unit file. */
    UnitEntry entry(String name, Path p, int d) {
        String disp = display.apply(p);
        try {
            if (Files.isSymbolicLink(p)) {
                String target = Files.readSymbolicLink(p).toString();
                if (isNull(target)) return new UnitEntry(name, p, d, disp, EntryKind.MASK, target, null, true);
                return new UnitEntry(name, p, d, disp, EntryKind.LINK, target, null, true);
            }
            String text = Text.read(p, disp, report);
            if (text.isEmpty()) return new UnitEntry(name, p, d, disp, EntryKind.MASK, null, null, false);
            String target = linkTarget(text);
            if (target != null) {
                EntryKind k = isNull(target) ? EntryKind.MASK : EntryKind.LINK;
                return new UnitEntry(name, p, d, disp, k, target, null, false);
            }
            return new UnitEntry(name, p, d, disp, EntryKind.FILE, null, text, false);
        } catch (IOException | RuntimeException e) {
            report.accept(Diagnostic.of(Code.UNREADABLE, Source.file(disp), "cannot read unit file: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null));
            return null;
        }
    }

    private static boolean isNull(String target) {
        try {
            return Path.of(target).normalize().toString().equals("/dev/null");
        } catch (RuntimeException e) {
            return false; // not a path at all
        }
    }

    /**
     * The target when {@code text} is a stored link: one line, one word, naming {@code /dev/null} or a path
     * that ends in a unit name. A unit file always has a {@code [Section]} or {@code Key=Value} line.
     */
    static String linkTarget(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 4096) return null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || c == '[' || c == '=' || c == '#' || c == ';') return null;
        }
        if (isNull(t)) return t;
        int slash = t.lastIndexOf('/');
        return UnitName.isValid(t.substring(slash + 1)) ? t : null;
    }

    /** The highest-precedence entry of a name, or null. */
    UnitEntry first(String name) {
        List<UnitEntry> l = entries.get(name);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    /** The entry below {@code e} for the same name, or null. */
    UnitEntry below(UnitEntry e) {
        List<UnitEntry> l = entries.get(e.name());
        int i = l.indexOf(e);
        return i >= 0 && i + 1 < l.size() ? l.get(i + 1) : null;
    }

    /**
     * The names whose drop-in and link directories apply to unit {@code name}, most specific first: the name,
     * its template, and its dash prefixes ({@code foo-bar-.service}, {@code foo-.service}).
     */
    static List<String> dropInNames(String name) {
        Set<String> out = new LinkedHashSet<>();
        out.add(name);
        String type = UnitName.type(name);
        if (UnitName.isInstance(name)) out.add(UnitName.template(name));
        String prefix = UnitName.prefix(name);
        while (true) {
            int dash = prefix.lastIndexOf('-');
            if (dash <= 0) break;
            out.add(prefix.substring(0, dash + 1) + "." + type);
            prefix = prefix.substring(0, dash);
        }
        return new ArrayList<>(out);
    }

    /**
     * The files of the directories that apply to a unit with these names, by file name (a file in an
     * earlier directory hides a same-named one in a later directory; a masked file hides it and is left
     * out), sorted by file name. Directories count in systemd's order: for each unit directory the unit's
     * names, then the aliases', then the type's ({@code service.d}).
     */
    Map<String, Path> collect(Map<String, List<SubDir>> subdirs, String name, List<String> aliases, String suffix) {
        List<SubDir> ordered = new ArrayList<>();
        List<List<String>> groups = new ArrayList<>();
        groups.add(dropInNames(name));
        for (String a : aliases) groups.add(dropInNames(a));
        String type = UnitName.TYPES.contains(name) ? name : UnitName.type(name);
        if (type != null) groups.add(List.of(type));
        for (List<String> names : groups) {
            for (int d = -1; d < dirs.size(); d++) {
                for (String n : names) {
                    for (SubDir s : subdirs.getOrDefault(n, List.of())) if (s.dir() == d) ordered.add(s);
                }
            }
        }
        Map<String, Path> chosen = new LinkedHashMap<>();
        Set<String> masked = new LinkedHashSet<>();
        for (SubDir s : ordered) {
            List<Path> list;
            try (Stream<Path> st = Files.list(s.path())) {
                list = st.sorted().toList();
            } catch (IOException | RuntimeException e) {
                report.accept(Diagnostic.of(Code.UNREADABLE, Source.file(display.apply(s.path())),
                        "cannot read directory: " + e.getClass().getSimpleName(), null));
                continue;
            }
            for (Path p : list) {
                String fn = p.getFileName().toString();
                if (fn.startsWith(".") || (suffix != null && !fn.endsWith(suffix))) continue;
                if (chosen.containsKey(fn) || masked.contains(fn)) continue;
                if (isMasked(p)) masked.add(fn);
                else chosen.put(fn, p);
            }
        }
        return new TreeMap<>(chosen);
    }

    /** A drop-in or link that is empty or points to /dev/null hides its namesakes (conf_files_list()). */
    private static boolean isMasked(Path p) {
        try {
            if (Files.isSymbolicLink(p)) return isNull(Files.readSymbolicLink(p).toString());
            if (Files.isDirectory(p)) return false;
            if (Files.size(p) == 0) return true;
            if (Files.size(p) > 4096) return false;
            return isNull(Files.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
