package dev.ordo.planner.config.load;

import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.Text;
import dev.ordo.planner.config.systemd.SystemdReader;
import dev.ordo.planner.config.upstart.UpstartReader;
import dev.ordo.planner.config.yaml.YamlReader;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.diag.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads any mix of ordo.yaml files, Upstart job files and systemd units into one {@link Config}.
 *
 * <p>Files are sorted to format by name: {@code *.yaml}/{@code *.yml} are ordo's own, {@code *.conf}
 * are Upstart jobs (named by their path relative to the directory given, as init(5) names them
 * relative to {@code /etc/init}), unit suffixes are systemd. A directory that holds units is read as
 * a systemd unit directory, with its drop-ins and {@code .wants/} links. {@code --root DIR} adds
 * systemd's own search path under DIR.
 */
public final class ConfigLoader {

    /** Unit file suffixes systemd knows. */
    public static final Set<String> UNIT_SUFFIXES = Set.of(
            ".service", ".socket", ".target", ".timer", ".mount", ".automount", ".path", ".swap", ".slice",
            ".scope", ".device");

    /** systemd's system unit search path, highest precedence first (systemd.unit(5)). */
    public static final List<String> SYSTEMD_SEARCH_PATH = List.of(
            "etc/systemd/system.control", "run/systemd/system.control", "run/systemd/transient",
            "run/systemd/generator.early", "etc/systemd/system", "etc/systemd/system.attached",
            "run/systemd/system", "run/systemd/system.attached", "run/systemd/generator",
            "usr/local/lib/systemd/system", "usr/lib/systemd/system", "lib/systemd/system",
            "run/systemd/generator.late");

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private final List<Path> unitDirs = new ArrayList<>();
    private final List<Path> unitFiles = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();
    private final Map<Path, String> displays = new LinkedHashMap<>();
    /**
     * Upstart jobs by the path of their .conf without the extension (two directories may both hold a
     * job of the same name; that is a duplicate to report, not one job): the job name, the .conf and
     * an optional .override.
     */
    private final Map<Path, UpstartFiles> upstart = new TreeMap<>();

    private static final class UpstartFiles {
        final String job;
        Path conf;
        Path override;

        UpstartFiles(String job) {
            this.job = job;
        }
    }

    private ConfigLoader() {
    }

    /**
     * Loads {@code paths} (files or directories) and, when {@code root} is not null, the systemd units
     * under it. Unreadable paths become {@link Code#UNREADABLE} diagnostics; nothing throws.
     */
    public static Config load(List<Path> paths, Path root) {
        return load(paths, root, List.of());
    }

    /**
     * As {@link #load(List, Path)}, with the systemd template instances in {@code instances} made too
     * ({@code ordo start postgresql@15-main.service} of an instance nothing in the tree names).
     */
    public static Config load(List<Path> paths, Path root, Collection<String> instances) {
        ConfigLoader l = new ConfigLoader();
        l.instances.addAll(instances);
        for (Path p : paths) l.add(p);
        if (root != null) l.addRoot(root);
        return l.finish();
    }

    private void add(Path p) {
        if (!Files.exists(p)) {
            diagnostics.add(Diagnostic.of(Code.UNREADABLE, Source.file(p.toString()), "no such file or directory",
                    "check the path; with no path, ordo reads ./ordo.yaml"));
            return;
        }
        if (Files.isDirectory(p)) {
            addDirectory(p);
        } else if (!addFile(p, p.getFileName(), p.toString(), true)) {
            diagnostics.add(Diagnostic.of(Code.IGNORED_FILE, Source.file(p.toString()),
                    "not a configuration file ordo reads; ignored",
                    "ordo reads *.yaml, *.yml, Upstart *.conf and systemd units (*.service, *.target, ...)"));
        }
    }

    private void addRoot(Path root) {
        if (!Files.isDirectory(root)) {
            diagnostics.add(Diagnostic.of(Code.UNREADABLE, Source.file(root.toString()), "--root is not a directory",
                    "give the directory that holds etc/systemd/system and lib/systemd/system"));
            return;
        }
        for (String dir : SYSTEMD_SEARCH_PATH) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d) && !unitDirs.contains(d)) {
                unitDirs.add(d);
                displays.put(d, d.toString());
            }
        }
    }

    private void addDirectory(Path top) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(top)) {
            all = s.filter(x -> !x.equals(top)).filter(x -> !hidden(top, x)).sorted().toList();
        } catch (IOException | RuntimeException e) {
            diagnostics.add(Diagnostic.of(Code.UNREADABLE, Source.file(top.toString()),
                    "cannot read directory: " + reason(e), null));
            return;
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                if (isUnitDirectory(p) && !insideUnitStructure(top, p)) {
                    unitDirs.add(p);
                    displays.put(p, top.resolve(top.relativize(p)).toString());
                }
                continue;
            }
            if (insideUnitStructure(top, p.getParent())) continue;
            Path rel = top.relativize(p);
            addFile(p, rel, top.resolve(rel).toString(), false);
        }
        if (isUnitDirectory(top)) {
            unitDirs.add(0, top);
            displays.put(top, top.toString());
        }
    }

    private static boolean hidden(Path top, Path p) {
        for (Path part : top.relativize(p)) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /** A {@code foo.service.d}, {@code foo.target.wants} or {@code foo.target.requires} directory, or below one. */
    private static boolean insideUnitStructure(Path top, Path dir) {
        for (Path part : top.relativize(dir)) {
            String n = part.toString();
            if (n.endsWith(".d") || n.endsWith(".wants") || n.endsWith(".requires")) return true;
        }
        return false;
    }

    private static boolean isUnitDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    return n.endsWith(".wants") || n.endsWith(".requires")
                            || (n.endsWith(".d") && unitSuffix(n.substring(0, n.length() - 2)) != null);
                }
                return unitSuffix(n) != null;
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Adds one file; false when it is of no format ordo reads. {@code rel} names Upstart jobs. */
    private boolean addFile(Path p, Path rel, String display, boolean explicit) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            String text = readText(p, display);
            files.add(display);
            if (text != null) merge(YamlReader.read(display, text));
            return true;
        }
        if (name.endsWith(".conf") && !explicit && !upstartJob(p)) return false;
        if (name.endsWith(".conf") || name.endsWith(".override")) {
            boolean override = name.endsWith(".override");
            String relName = rel.toString();
            String job = relName.substring(0, relName.length() - (override ? ".override".length() : ".conf".length()));
            String file = p.toString();
            Path key = Path.of(file.substring(0, file.length() - (override ? ".override".length() : ".conf".length())));
            UpstartFiles u = upstart.computeIfAbsent(key, k -> new UpstartFiles(job));
            if (override) u.override = p;
            else u.conf = p;
            displays.put(p, display);
            return true;
        }
        if (unitSuffix(name) != null) {
            if (explicit) {
                unitFiles.add(p);
                displays.put(p, display);
            }
            // Inside a directory the unit directory itself is read; see addDirectory.
            return true;
        }
        return false;
    }

    static String unitSuffix(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) return null;
        String suffix = fileName.substring(dot);
        return UNIT_SUFFIXES.contains(suffix) ? suffix : null;
    }

    /**
     * Whether a {@code .conf} met in a directory reads as an Upstart job (its first stanza is one); a file
     * that cannot be read is taken as one, so that reading it later says why it cannot.
     */
    private static boolean upstartJob(Path p) {
        if (!Files.isRegularFile(p)) return true;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            return UpstartReader.looksLikeJob(Text.decode(in.readNBytes(8192)));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private String readText(Path p, String display) {
        try {
            return Text.read(p, display, diagnostics::add);
        } catch (IOException | RuntimeException e) {
            diagnostics.add(Diagnostic.of(Code.UNREADABLE, Source.file(display), "cannot read file: " + reason(e), null));
            return null;
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private void merge(ReadResult r) {
        jobs.addAll(r.jobs());
        diagnostics.addAll(r.diagnostics());
    }

    private Config finish() {
        for (UpstartFiles u : upstart.values()) {
            Path conf = u.conf;
            Path override = u.override;
            if (conf == null) {
                String d = displays.get(override);
                files.add(d);
                diagnostics.add(Diagnostic.of(Code.OVERRIDE_WITHOUT_JOB, Source.file(d),
                        "override for job `" + u.job + "` without its .conf; Upstart ignores it",
                        "add " + u.job + ".conf, or remove the override"));
                continue;
            }
            String confDisplay = displays.get(conf);
            files.add(confDisplay);
            String text = readText(conf, confDisplay);
            if (text == null) continue;
            String overrideDisplay = null;
            String overrideText = null;
            if (override != null) {
                overrideDisplay = displays.get(override);
                files.add(overrideDisplay);
                overrideText = readText(override, overrideDisplay);
            }
            merge(UpstartReader.read(confDisplay, u.job, text, overrideDisplay, overrideText));
        }
        if (!unitDirs.isEmpty() || !unitFiles.isEmpty()) {
            SystemdReader.TreeRead r = SystemdReader.read(unitDirs, unitFiles, instances, p -> {
                String d = displays.get(p);
                if (d != null) return d;
                for (Map.Entry<Path, String> e : displays.entrySet()) {
                    if (p.startsWith(e.getKey())) return e.getValue() + "/" + e.getKey().relativize(p);
                }
                return p.toString();
            });
            files.addAll(r.files());
            merge(r.read());
        }
        return new Config(dropDuplicates(), files.stream().distinct().toList(), diagnostics);
    }

    /** Keeps the first definition of each job (by place, so argument order does not matter) and reports the rest. */
    private List<Job> dropDuplicates() {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparing(Job::source));
        Map<String, Job> kept = new TreeMap<>();
        for (Job j : sorted) {
            Job first = kept.get(j.name());
            if (first == null) {
                kept.put(j.name(), j);
            } else {
                diagnostics.add(Diagnostic.of(Code.DUPLICATE_JOB, j.source(),
                        "job `" + j.name() + "` is defined twice; first at " + first.source(),
                        "rename one of them or remove one definition"));
            }
        }
        return new ArrayList<>(kept.values());
    }
}
