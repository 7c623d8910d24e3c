package dev.ordo.planner.config.systemd;

import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.Text;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.diag.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads systemd units (systemd.unit(5), systemd 252) into jobs: one job per unit under its canonical
 * name, with drop-ins applied, {@code .wants/}/{@code .requires/} links read by name, aliases and
 * masks resolved, templates instantiated for every instance something names, and the implicit and
 * default dependencies systemd adds. docs/systemd.md says what maps where.
 *
 * <p>{@link dev.ordo.planner.model.Unit#install()} holds {@code WantedBy=X} as (WANTS, X) and
 * {@code RequiredBy=X} as (REQUIRES, X), origin INSTALL: "X would want (require) this unit once it is
 * enabled"; they are not edges (SEMANTICS §5). {@code Also=} is kept in the settings.
 */
public final class SystemdReader {

    /** More jobs than this means instances that name ever longer instances; stop there. */
    private static final int MAX_JOBS = 20_000;
    private static final String TEMPLATE_CHECK_INSTANCE = "INSTANCE";

    private final List<Path> unitDirs;
    private final List<Path> unitFiles;
    private final Function<Path, String> display;
    private final Set<String> files = new LinkedHashSet<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final UnitTree tree;
    private final Map<Path, UnitFile> parsed = new HashMap<>();
    private final Map<String, String> declaredAlias = new TreeMap<>();
    private final Map<String, List<Named>> aliasIndex = new TreeMap<>();
    private final Map<String, ResolvedUnit> resolved = new HashMap<>();
    private final Map<String, UnitJobBuilder> built = new TreeMap<>();
    private final Map<Path, UnitTree.UnitEntry> followed = new HashMap<>();

    private SystemdReader(List<Path> unitDirs, List<Path> unitFiles, Function<Path, String> display) {
        this.unitDirs = List.copyOf(unitDirs);
        this.unitFiles = List.copyOf(unitFiles);
        this.display = display;
        this.tree = new UnitTree(this.unitDirs, display, this::report);
    }

    /** What was read, and the display names of every file read. */
    public record TreeRead(ReadResult read, List<String> files) {
    }

    /**
     * Reads the units of {@code unitDirs} (highest precedence first) and {@code unitFiles} (named on the
     * command line; they win over a unit of the same name in the directories). Never throws for bad input.
     */
    public static TreeRead read(List<Path> unitDirs, List<Path> unitFiles, Function<Path, String> display) {
        return read(unitDirs, unitFiles, List.of(), display);
    }

    /** As above, making each instance in {@code instances} whose template is there, as systemd loads one when asked. */
    public static TreeRead read(List<Path> unitDirs, List<Path> unitFiles, Collection<String> instances,
                                Function<Path, String> display) {
        SystemdReader r = new SystemdReader(unitDirs, unitFiles, display);
        r.requested.addAll(instances);
        return r.run();
    }

    private final List<String> requested = new ArrayList<>();

    /**
     * True for units systemd makes without a unit file: devices and scopes (made at run time), slices
     * (every slice exists implicitly, {@code -.slice} and {@code system.slice} always), and mount, swap
     * and automount units (made from /etc/fstab by systemd-fstab-generator, and for every mounted file
     * system). Such names are not missing when no file defines them.
     */
    public static boolean definedWithoutFile(String unitName) {
        if (unitName == null || !UnitName.isValid(unitName) || UnitName.isTemplate(unitName)) return false;
        String type = UnitName.type(unitName);
        return List.of("device", "scope", "slice", "mount", "swap", "automount").contains(type);
    }

    /** A name resolved through links: the canonical unit, its fragment file (null when masked). */
    private record ResolvedUnit(String canonical, UnitTree.UnitEntry fragment, boolean masked, UnitTree.UnitEntry maskEntry) {
    }

    private void report(Diagnostic d) {
        diagnostics.add(d);
    }

    /** Value diagnostics: a template's line is reported once, however many instances it makes. */
    private void reportOnce(Diagnostic d) {
        if (reported.add(d.code().id() + " " + d.source())) diagnostics.add(d);
    }

    private TreeRead run() {
        tree.scan();
        for (Path p : unitFiles) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                report(Diagnostic.of(Code.UNREADABLE, Source.file(display.apply(p)), "no such unit file", null));
                continue;
            }
            String n = p.getFileName().toString();
            if (!UnitName.isValid(n)) {
                report(Diagnostic.of(Code.UNREADABLE, Source.file(display.apply(p)),
                        "`" + n + "` is not a valid unit name; systemd would not load it",
                        "a unit name is NAME.TYPE with letters, digits and :-_.\\@"));
                continue;
            }
            tree.addExplicit(p);
        }
        collectDeclaredAliases();
        indexAliases();
        Deque<String> queue = new ArrayDeque<>();
        for (String n : tree.entries.keySet()) if (!UnitName.isTemplate(n)) queue.add(n);
        for (Path p : unitFiles) queue.add(p.getFileName().toString());
        queue.addAll(requested);
        do {
            while (!queue.isEmpty() && built.size() < MAX_JOBS) {
                String n = queue.poll();
                if (!UnitName.isValid(n) || UnitName.isTemplate(n)) continue;
                ResolvedUnit r = resolve(n);
                if (r == null || built.containsKey(r.canonical())) continue;
                UnitJobBuilder b = build(r.canonical(), r);
                built.put(r.canonical(), b);
                queueRelations(b, queue);
            }
        } while (acceptTemplates(queue));
        checkTemplates();
        checkLeftoverDropIns();
        List<Job> jobs = finish();
        diagnostics.sort(Diagnostic.ORDER);
        return new TreeRead(new ReadResult(jobs, diagnostics), new ArrayList<>(files));
    }

    // ---- names ----

    private ResolvedUnit resolve(String name) {
        if (resolved.containsKey(name)) return resolved.get(name);
        ResolvedUnit r = resolve(name, 0);
        resolved.put(name, r);
        return r;
    }

    private ResolvedUnit resolve(String name, int depth) {
        if (depth > 32) return null;
        UnitTree.UnitEntry e = tree.first(name);
        if (e != null) return resolveEntry(e, depth);
        if (UnitName.isInstance(name)) {
            ResolvedUnit t = resolve(UnitName.template(name), depth + 1);
            if (t == null) return null;
            String canonical = UnitName.instantiate(t.canonical(), UnitName.instance(name));
            if (!canonical.equals(name)) return resolve(canonical, depth + 1);
            return new ResolvedUnit(name, t.fragment(), t.masked(), t.maskEntry());
        }
        String target = declaredAlias.get(name);
        return target == null ? null : resolve(target, depth + 1);
    }

    private ResolvedUnit resolveEntry(UnitTree.UnitEntry e, int depth) {
        if (depth > 32) return null;
        if (e.kind() != UnitTree.EntryKind.FILE) files.add(e.display());
        switch (e.kind()) {
            case MASK:
                return new ResolvedUnit(e.name(), null, true, e);
            case FILE:
                return new ResolvedUnit(e.name(), e, false, null);
            default:
                break;
        }
        String t = e.target();
        String targetName = t.substring(t.lastIndexOf('/') + 1);
        if (targetName.equals(e.name())) {
            UnitTree.UnitEntry below = tree.below(e);
            if (below != null) return resolveEntry(below, depth + 1);
            UnitTree.UnitEntry f = follow(e);
            if (f != null) return resolveEntry(f, depth + 1);
        } else if (UnitName.isValid(targetName) && UnitName.type(targetName).equals(UnitName.type(e.name()))
                && UnitName.isTemplate(targetName) == UnitName.isTemplate(e.name())) {
            ResolvedUnit r = resolve(targetName, depth + 1);
            if (r != null) return r;
        }
        reportOnce(Diagnostic.of(Code.UNREADABLE, e.realLink() ? Source.file(e.display()) : new Source(e.display(), 1, 1),
                "`" + e.name() + "` links to `" + t + "`, which is not a unit ordo can find; systemd ignores the link",
                "point the link at a unit file in a unit directory, or remove it").withSeverity(Severity.WARNING));
        return null;
    }

    /** A real link to a same-named file outside the unit directories ({@code systemctl link}): read through it. */
    private UnitTree.UnitEntry follow(UnitTree.UnitEntry e) {
        if (!e.realLink()) return null;
        if (followed.containsKey(e.path())) return followed.get(e.path());
        UnitTree.UnitEntry f = null;
        try {
            if (Files.isRegularFile(e.path())) {
                String text = Text.read(e.path());
                f = new UnitTree.UnitEntry(e.name(), e.path(), e.dir(), e.display(),
                        text.isEmpty() ? UnitTree.EntryKind.MASK : UnitTree.EntryKind.FILE, null, text, true);
            }
        } catch (java.io.IOException | RuntimeException ex) {
            f = null;
        }
        followed.put(e.path(), f);
        return f;
    }

    private String canonical(String name) {
        ResolvedUnit r = resolve(name);
        return r == null ? name : r.canonical();
    }

    private UnitFile parse(UnitTree.UnitEntry e, String type) {
        return parse(e.path(), e.display(), e.text(), type);
    }

    private UnitFile parse(Path p, String disp, String text, String type) {
        UnitFile f = parsed.get(p);
        if (f != null) return f;
        if (text == null) {
            try {
                text = Text.read(p, disp, this::report);
            } catch (java.io.IOException | RuntimeException ex) {
                report(Diagnostic.of(Code.UNREADABLE, Source.file(disp), "cannot read file", null));
                text = "";
            }
        }
        files.add(disp);
        f = UnitFile.parse(disp, text, type);
        parsed.put(p, f);
        diagnostics.addAll(f.diagnostics);
        return f;
    }

    /**
     * {@code Alias=} in [Install] names the unit by another name once enabled. A name that is a file or link
     * of its own is that; a name several units claim is left alone (only the one enabled would own it).
     */
    private void collectDeclaredAliases() {
        Map<String, Set<String>> claims = new TreeMap<>();
        for (String n : tree.entries.keySet()) {
            ResolvedUnit r = resolve(n, 0);
            if (r == null || r.fragment() == null || !r.canonical().equals(n)) continue;
            UnitFile f = parse(r.fragment(), UnitName.type(n));
            for (UnitFile.Assignment a : f.assignments) {
                if (!a.section.equals("Install") || !a.key.equals("Alias")) continue;
                for (UnitValues.Word w : UnitValues.words(a.value, false)) {
                    String alias;
                    try {
                        alias = UnitSpecifiers.expand(w.text(), n);
                    } catch (IllegalArgumentException ex) {
                        continue; // reported when the unit is built
                    }
                    if (!UnitName.isValid(alias) || !UnitName.type(alias).equals(UnitName.type(n))) continue;
                    if (alias.equals(n) || tree.first(alias) != null) continue;
                    claims.computeIfAbsent(alias, k -> new LinkedHashSet<>()).add(n);
                    aliasIndex.computeIfAbsent(n, k -> new ArrayList<>()).add(new Named(alias, a.at(w.offset())));
                }
            }
        }
        for (Map.Entry<String, Set<String>> c : claims.entrySet()) {
            if (c.getValue().size() == 1) declaredAlias.put(c.getKey(), c.getValue().iterator().next());
        }
        // An alias several units claim names none of them.
        for (List<Named> l : aliasIndex.values()) l.removeIf(x -> !declaredAlias.containsKey(x.name()));
        resolved.clear();
    }

    private void indexAliases() {
        for (Map.Entry<String, List<UnitTree.UnitEntry>> e : tree.entries.entrySet()) {
            ResolvedUnit r = resolve(e.getKey());
            if (r == null || r.canonical().equals(e.getKey())) continue;
            UnitTree.UnitEntry first = e.getValue().get(0);
            aliasIndex.computeIfAbsent(r.canonical(), k -> new ArrayList<>()).add(new Named(e.getKey(),
                    first.realLink() ? Source.file(first.display()) : new Source(first.display(), 1, 1)));
        }
    }

    /** Aliases of a unit: its own, and for an instance, its template's aliases instantiated. */
    private List<Named> aliasesOf(String canonical) {
        List<Named> out = new ArrayList<>(aliasIndex.getOrDefault(canonical, List.of()));
        if (UnitName.isInstance(canonical)) {
            for (Named t : aliasIndex.getOrDefault(UnitName.template(canonical), List.of())) {
                if (UnitName.isTemplate(t.name())) {
                    out.add(new Named(UnitName.instantiate(t.name(), UnitName.instance(canonical)), t.source()));
                }
            }
        }
        return out;
    }

    // ---- building ----

    private UnitJobBuilder build(String name, ResolvedUnit r) {
        String type = UnitName.type(name);
        Source src;
        if (r.fragment() != null) src = Source.file(r.fragment().display());
        else if (r.maskEntry() != null) src = Source.file(r.maskEntry().display());
        else src = Source.file(name);
        UnitJobBuilder b = new UnitJobBuilder(name, src, r.masked(), this::reportOnce);
        List<Named> aliases = aliasesOf(name);
        b.aliases.addAll(aliases);
        if (r.masked()) return b;
        for (UnitFile.Assignment a : parse(r.fragment(), type).assignments) b.apply(a);
        List<String> aliasNames = aliases.stream().map(Named::name).toList();
        for (Map.Entry<String, Path> d : tree.collect(tree.dropInDirs, name, aliasNames, ".conf").entrySet()) {
            String disp = display.apply(d.getValue());
            for (UnitFile.Assignment a : parse(d.getValue(), disp, null, type).assignments) b.apply(a);
            b.dropIns.add(disp);
        }
        b.finish();
        links(b, tree.wantsDirs, RelationKind.WANTS, aliasNames);
        links(b, tree.requiresDirs, RelationKind.REQUIRES, aliasNames);
        return b;
    }

    /** A link in {@code NAME.wants/} is read by its own name, not by where it points. */
    private void links(UnitJobBuilder b, Map<String, List<UnitTree.SubDir>> dirs, RelationKind kind, List<String> aliases) {
        for (Map.Entry<String, Path> l : tree.collect(dirs, b.name, aliases, null).entrySet()) {
            String target = l.getKey();
            if (UnitName.isTemplate(target) && b.instance != null) target = UnitName.instantiate(target, b.instance);
            if (!UnitName.isValid(target) || UnitName.isTemplate(target)) continue;
            String disp = display.apply(l.getValue());
            files.add(disp);
            b.links.add(new Relation(kind, target, Source.file(disp), Relation.Origin.LINK));
        }
    }

    private static void queueRelations(UnitJobBuilder b, Deque<String> queue) {
        for (Relation rel : b.declared()) queue.add(rel.target());
        for (Relation rel : b.links) queue.add(rel.target());
        for (Relation rel : b.implicitRelations()) queue.add(rel.target());
    }

    /**
     * A socket with Accept=yes starts an instance of its template for each connection, named only then
     * (socket.c, socket_load_service_unit): the template is read now as a job of its own, under its template
     * name, for ordo run to make those instances of. A template that uses its instance name (%i, %n, ...)
     * cannot be read before the name is known: its socket is told (ORD025) and takes no connection. True when
     * a template was read, whose relations are in {@code queue}.
     */
    private boolean acceptTemplates(Deque<String> queue) {
        boolean added = false;
        for (UnitJobBuilder socket : new ArrayList<>(built.values())) {
            String t = socket.acceptTemplate();
            if (t == null || built.containsKey(t)) continue;
            ResolvedUnit r = resolve(t);
            if (r == null || r.masked() || r.fragment() == null) continue; // nothing to start: the check reports it
            UnitJobBuilder one = build(UnitName.instantiate(t, TEMPLATE_CHECK_INSTANCE), new ResolvedUnit(t, r.fragment(), false, null));
            UnitJobBuilder other = build(UnitName.instantiate(t, TEMPLATE_CHECK_INSTANCE + "2"), new ResolvedUnit(t, r.fragment(), false, null));
            if (!one.sameRun(other)) {
                reportOnce(Diagnostic.of(Code.UNIT_DIRECTIVE_NOT_APPLIED, socket.source, "Accept= is not applied by ordo run: " + t
                        + " uses its instance name (%i, %n, ...), which ordo run cannot give it before a connection comes; "
                        + "no connection is taken", null));
                continue;
            }
            one.jobName = t;
            built.put(t, one);
            queueRelations(one, queue);
            added = true;
        }
        return added;
    }

    /** Templates no instance was made of are still read, with a stand-in instance name, to check their values. */
    private void checkTemplates() {
        for (String n : new ArrayList<>(tree.entries.keySet())) {
            if (!UnitName.isTemplate(n) || built.containsKey(n)) continue;
            ResolvedUnit r = resolve(n);
            if (r == null || r.masked() || r.fragment() == null || !r.canonical().equals(n)) continue;
            String stand = UnitName.instantiate(n, TEMPLATE_CHECK_INSTANCE);
            if (built.containsKey(stand)) continue;
            boolean hasInstance = false;
            for (String b : built.keySet()) {
                if (UnitName.isInstance(b) && UnitName.template(b).equals(n)) {
                    hasInstance = true;
                    break;
                }
            }
            if (hasInstance) continue;
            build(stand, new ResolvedUnit(stand, r.fragment(), false, null));
        }
    }

    /** Drop-ins of units that were not loaded still get their syntax checked. */
    private void checkLeftoverDropIns() {
        for (Map.Entry<String, List<UnitTree.SubDir>> e : tree.dropInDirs.entrySet()) {
            String owner = e.getKey();
            String type = UnitName.TYPES.contains(owner) ? owner : UnitName.type(owner);
            if (type == null) continue;
            for (UnitTree.SubDir s : e.getValue()) {
                List<Path> list;
                try (java.util.stream.Stream<Path> st = Files.list(s.path())) {
                    list = st.sorted().toList();
                } catch (java.io.IOException | RuntimeException ex) {
                    continue; // reported when the directory was collected, if it ever was
                }
                for (Path f : list) {
                    String fn = f.getFileName().toString();
                    if (fn.startsWith(".") || !fn.endsWith(".conf") || parsed.containsKey(f) || !Files.isRegularFile(f)) {
                        continue;
                    }
                    parse(f, display.apply(f), null, type);
                }
            }
        }
    }

    // ---- relations across units ----

    private List<Job> finish() {
        Map<String, List<Relation>> relations = new TreeMap<>();
        for (UnitJobBuilder b : built.values()) {
            List<Relation> rs = new ArrayList<>();
            for (Relation r : b.declared()) rs.add(rewrite(r));
            for (Relation r : b.links) rs.add(rewrite(r));
            for (Relation r : b.implicitRelations()) rs.add(rewrite(r));
            relations.put(b.name, rs);
        }
        for (UnitJobBuilder b : built.values()) {
            if (b.masked) continue;
            if (b.type.equals("target") && b.defaultDependencies) targetOrdering(b, relations);
            if (b.type.equals("mount")) mountParents(b, relations.get(b.name));
        }
        List<Job> jobs = new ArrayList<>();
        for (UnitJobBuilder b : built.values()) {
            List<Relation> install = new ArrayList<>();
            for (Relation r : b.install()) install.add(rewrite(r));
            jobs.add(b.build(new ArrayList<>(new LinkedHashSet<>(relations.get(b.name))), install));
        }
        return jobs;
    }

    private Relation rewrite(Relation r) {
        String c = canonical(r.target());
        return c.equals(r.target()) ? r : new Relation(r.kind(), c, r.source(), r.origin());
    }

    /**
     * systemd.target(5): a target is ordered After= every unit it Wants=/Requires= (also BindsTo=,
     * Requisite=; target_add_default_dependencies()), unless that unit has DefaultDependencies=no, or an
     * ordering the other way exists already.
     */
    private void targetOrdering(UnitJobBuilder t, Map<String, List<Relation>> relations) {
        List<Relation> own = relations.get(t.name);
        List<Relation> add = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Relation r : own) {
            if (r.kind() != RelationKind.WANTS && r.kind() != RelationKind.REQUIRES
                    && r.kind() != RelationKind.REQUISITE && r.kind() != RelationKind.BINDS_TO) continue;
            UnitJobBuilder u = built.get(r.target());
            if (u == null || u.masked || !u.defaultDependencies || u == t || !done.add(u.name)) continue;
            if (has(own, RelationKind.BEFORE, u.name) || has(own, RelationKind.AFTER, u.name)) continue;
            List<Relation> theirs = relations.get(u.name);
            if (has(theirs, RelationKind.AFTER, t.name) || has(theirs, RelationKind.BEFORE, t.name)) continue;
            add.add(new Relation(RelationKind.AFTER, u.name, r.source(), Relation.Origin.IMPLICIT));
        }
        own.addAll(add);
    }

    /** systemd.mount(5): a mount below another mount requires it and is ordered after it. */
    private void mountParents(UnitJobBuilder m, List<Relation> own) {
        String where = m.where != null ? m.where : UnitName.pathUnescape(UnitName.stem(m.name));
        if (!where.startsWith("/")) return;
        String path = where;
        while (path.length() > 1) {
            int slash = path.lastIndexOf('/');
            path = slash <= 0 ? "/" : path.substring(0, slash);
            String parent = UnitName.pathEscape(path) + ".mount";
            UnitJobBuilder p = built.get(canonical(parent));
            if (p == null || p.masked || p == m) continue;
            own.add(new Relation(RelationKind.REQUIRES, p.name, m.source, Relation.Origin.IMPLICIT));
            own.add(new Relation(RelationKind.AFTER, p.name, m.source, Relation.Origin.IMPLICIT));
        }
    }

    private static boolean has(List<Relation> rs, RelationKind kind, String target) {
        if (rs == null) return false;
        for (Relation r : rs) if (r.kind() == kind && r.target().equals(target)) return true;
        return false;
    }
}
