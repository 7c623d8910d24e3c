package dev.ordo.planner.config.systemd;

import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.config.systemd.SystemdReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Debian 12 unit tree of the shared corpus, read as `ordo check --root` would read it. */
class SystemdCorpusTest {

    static final Path ROOT = SharedCorpus.SHARED.resolve("corpus/systemd/debian-12");
    static SystemdReader.TreeRead result;
    static Map<String, Job> jobs;

    @BeforeAll
    static void read() {
        SharedCorpus.debian12();
        result = SystemdReader.read(List.of(ROOT.resolve("etc/systemd/system"), ROOT.resolve("lib/systemd/system")),
                List.of(), p -> ROOT.relativize(p).toString());
        jobs = new TreeMap<>();
        for (Job j : result.read().jobs()) jobs.put(j.name(), j);
    }

    static Job job(String name) {
        Job j = jobs.get(name);
        assertNotNull(j, "no job " + name);
        return j;
    }

    static boolean has(Job j, RelationKind kind, String target, Relation.Origin origin) {
        return j.relations().stream().anyMatch(r -> r.kind() == kind && r.target().equals(target) && r.origin() == origin);
    }

    @Test
    void theWholeTreeLoadsWithoutAnErrorOrAnUnknownKey() {
        // systemd-analyze verify on the same tree reports no unknown key, section or bad value either. What it
        // cannot say, ordo says: the directives ordo run does not apply (ORD025, warnings), and nothing else.
        assertEquals(List.of(), result.read().diagnostics().stream()
                .filter(d -> d.code() != Code.UNIT_DIRECTIVE_NOT_APPLIED).toList());
        assertTrue(result.read().diagnostics().stream().allMatch(d -> d.severity() == Severity.WARNING));
        assertTrue(result.read().diagnostics().stream().anyMatch(d -> d.source().toString()
                .equals("lib/systemd/system/systemd-logind.service:50:1") && d.message().startsWith("ProtectSystem= ")));
    }

    /**
     * Every ORD025 points at an assignment of a directive the table says ordo run does not apply (or at a
     * prefix of an Exec*= line), once per unit file and directive; and every such directive a unit keeps in its
     * settings is reported: nothing the model leaves behind goes unsaid.
     */
    @Test
    void everyDirectiveOrdoRunDoesNotApplyIsReportedOnceAtItsKey() throws IOException {
        Set<String> once = new HashSet<>();
        Set<String> reported = new HashSet<>();
        Map<String, String> notApplied = new TreeMap<>();
        int prefixes = 0;
        for (Diagnostic d : result.read().diagnostics()) {
            List<String> lines = Files.readAllLines(ROOT.resolve(d.source().file()));
            String line = lines.get(d.source().line() - 1);
            String section = null;
            for (int i = d.source().line() - 1; i >= 0 && section == null; i--) {
                if (lines.get(i).startsWith("[")) section = lines.get(i).substring(1, lines.get(i).indexOf(']'));
            }
            String key = line.substring(0, line.indexOf('=')).strip();
            String value = line.substring(line.indexOf('=') + 1).strip();
            DirectiveSupport.SupportEntry e = DirectiveSupport.of(section, key);
            String at = d.source() + " " + d.message();
            assertNotNull(e, at);
            if (d.message().startsWith(key + "= prefix `")) {
                prefixes++;
                String p = d.message().substring(d.message().indexOf('`') + 1, d.message().indexOf('`', d.message().indexOf('`') + 1));
                assertTrue(line.startsWith(p, d.source().column() - 1), at);
                assertTrue(DirectiveSupport.execPrefix(p).support().reported(), at);
                assertTrue(once.add(d.source().file() + " " + key + " " + p), "twice: " + at);
            } else {
                assertEquals(line.indexOf(key) + 1, d.source().column(), at);
                assertTrue(d.message().startsWith(key + "= is not applied by ordo run: " + e.what()), at);
                assertTrue(e.support().reported(), "an applied directive is reported: " + at);
                assertFalse(DirectiveSupport.asOrdo(e, value), at);
                assertTrue(once.add(d.source().file() + " " + key), "twice: " + at);
                // A template no instance is made of is read with a stand-in instance for its diagnostics; it is no job.
                boolean job = jobs.values().stream().anyMatch(j -> j.source().equals(Source.file(d.source().file()))
                        || j.unit().dropIns().contains(d.source().file()));
                if (e.support() == DirectiveSupport.Support.NOT_APPLIED && job) notApplied.put(d.source().toString(), key);
            }
            reported.add(d.source().file() + " " + key);
        }
        // The tree's Exec*= prefixes (14 `-`, 4 `+`, 2 `!!`, 1 `@`) are all applied (or clamped): none is reported.
        assertEquals(0, prefixes);
        Set<String> keptAt = new HashSet<>();
        for (Job j : jobs.values()) {
            if (j.unit().masked()) continue;
            for (Setting st : j.unit().settings()) {
                DirectiveSupport.SupportEntry e = DirectiveSupport.of(st.section(), st.key());
                if (e == null || !e.support().reported() || st.value().isEmpty() || DirectiveSupport.asOrdo(e, st.value())) continue;
                keptAt.add(st.source().toString());
                List<String> files = new ArrayList<>(j.unit().dropIns());
                files.add(j.source().file());
                assertTrue(files.stream().anyMatch(f -> reported.contains(f + " " + st.key())),
                        j.name() + " keeps " + st.key() + "= at " + st.source() + " and nothing says ordo run does not apply it");
            }
        }
        // The other way round: what is reported as not applied at all is kept as written, or read into what ordo
        // run then ignores (order only is read into relations, and so is in no setting).
        for (Map.Entry<String, String> n : notApplied.entrySet()) {
            assertTrue(keptAt.contains(n.getKey()) || Set.of("RemainAfterExit", "RootDirectory").contains(n.getValue()),
                    n.getKey() + " " + n.getValue() + "= is reported, but the reader interprets it");
        }
    }

    @Test
    void oneJobPerUnitUnderItsCanonicalName() {
        // 189 non-template unit names in etc and lib, minus 16 alias links, plus the instances something
        // names: getty@tty1.service and 6 modprobe@*.service.
        assertEquals(180, jobs.size());
        assertEquals(jobs.size(), result.read().jobs().stream().map(Job::name).distinct().count());
        for (String alias : List.of("default.target", "runlevel3.target", "kmod.service", "ctrl-alt-del.target",
                "dbus-org.freedesktop.login1.service", "autovt@.service", "getty@.service")) {
            assertFalse(jobs.containsKey(alias), alias);
        }
        assertEquals(278, result.files().size());
    }

    @Test
    void anInstanceIsBuiltFromItsTemplateWithTheInstanceExpanded() {
        Job getty = job("getty@tty1.service");
        assertEquals("Getty on tty1", getty.description());
        assertEquals("getty@.service", getty.unit().template());
        assertEquals("tty1", getty.unit().instanceName());
        assertEquals("idle", getty.unit().serviceType());
        assertEquals(List.of("-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM"), getty.processes().get(Phase.MAIN).exec());
        assertTrue(getty.unit().aliases().stream().map(Named::name).toList().contains("autovt@tty1.service"));
        assertTrue(has(job("getty.target"), RelationKind.WANTS, "getty@tty1.service", Relation.Origin.LINK));
        Job drm = job("modprobe@drm.service");
        assertEquals(List.of("-/sbin/modprobe -abq drm"), drm.processes().get(Phase.MAIN).exec());
        assertTrue(drm.task());
    }

    @Test
    void aliasLinksMakeNoJobOfTheirOwnAndReferencesAreRewritten() {
        Job graphical = job("graphical.target");
        assertEquals(List.of("default.target", "runlevel5.target"),
                graphical.unit().aliases().stream().map(Named::name).toList());
        assertEquals(Set.of("ctrl-alt-del.target", "runlevel6.target"),
                job("reboot.target").unit().aliases().stream().map(Named::name).collect(Collectors.toSet()));
        // After=default.target graphical.target multi-user.target
        Job check = job("systemd-boot-check-no-failures.service");
        assertTrue(has(check, RelationKind.AFTER, "graphical.target", Relation.Origin.DECLARED));
        Set<String> aliases = jobs.values().stream().flatMap(j -> j.unit().aliases().stream()).map(Named::name)
                .collect(Collectors.toSet());
        for (Job j : jobs.values()) {
            for (Relation r : j.relations()) assertFalse(aliases.contains(r.target()), j.name() + " -> " + r.target());
        }
        // After=runlevel1.target ... runlevel5.target
        Job utmp = job("systemd-update-utmp-runlevel.service");
        for (String t : List.of("rescue.target", "multi-user.target", "graphical.target")) {
            assertTrue(has(utmp, RelationKind.AFTER, t, Relation.Origin.DECLARED), t);
        }
        // The etc/ link and Alias= name the same unit once.
        assertEquals(List.of("dbus-org.freedesktop.timesync1.service"),
                job("systemd-timesyncd.service").unit().aliases().stream().map(Named::name).toList());
    }

    @Test
    void aMaskedUnitIsAJobWithoutProcesses() {
        Job c = job("cryptdisks.service");
        assertTrue(c.unit().masked());
        assertTrue(c.processes().isEmpty());
        assertTrue(c.relations().isEmpty());
        assertEquals("lib/systemd/system/cryptdisks.service", c.source().file());
    }

    @Test
    void dropInsAreApplied() {
        Job rc = job("rc-local.service");
        assertEquals(List.of("lib/systemd/system/rc-local.service.d/debian.conf"), rc.unit().dropIns());
        Relation after = rc.relations().stream()
                .filter(r -> r.kind() == RelationKind.AFTER && r.target().equals("network-online.target")).findFirst()
                .orElseThrow();
        assertEquals("lib/systemd/system/rc-local.service.d/debian.conf:4:7", after.source().toString());
        assertTrue(rc.unit().settings().stream().anyMatch(s -> s.key().equals("StandardOutput")
                && s.value().equals("journal+console")));
        assertEquals("forking", rc.unit().serviceType());
    }

    @Test
    void wantsLinksAreReadByName() {
        Job mu = job("multi-user.target");
        Relation pg = mu.relations().stream()
                .filter(r -> r.kind() == RelationKind.WANTS && r.target().equals("postgresql.service")).findFirst()
                .orElseThrow();
        assertEquals(Relation.Origin.LINK, pg.origin());
        assertEquals("etc/systemd/system/multi-user.target.wants/postgresql.service", pg.source().file());
        // Targets are ordered after what they want (systemd.target(5)) ...
        assertTrue(has(mu, RelationKind.AFTER, "postgresql.service", Relation.Origin.IMPLICIT));
        // ... unless it is ordered after them (After=multi-user.target in that unit).
        assertFalse(has(mu, RelationKind.AFTER, "systemd-update-utmp-runlevel.service", Relation.Origin.IMPLICIT));
        // WantedBy= is not a relation; it is kept in install.
        Job pgJob = job("postgresql.service");
        assertTrue(pgJob.unit().install().stream().anyMatch(r -> r.kind() == RelationKind.WANTS
                && r.target().equals("multi-user.target") && r.origin() == Relation.Origin.INSTALL));
        assertFalse(pgJob.relations().stream().anyMatch(r -> r.origin() == Relation.Origin.INSTALL));
    }

    @Test
    void servicesGetTheirDefaultDependencies() {
        Job dbus = job("dbus.service");
        assertTrue(has(dbus, RelationKind.REQUIRES, "dbus.socket", Relation.Origin.DECLARED));
        assertTrue(has(dbus, RelationKind.REQUIRES, "sysinit.target", Relation.Origin.IMPLICIT));
        assertTrue(has(dbus, RelationKind.AFTER, "sysinit.target", Relation.Origin.IMPLICIT));
        assertTrue(has(dbus, RelationKind.AFTER, "basic.target", Relation.Origin.IMPLICIT));
        assertTrue(has(dbus, RelationKind.CONFLICTS, "shutdown.target", Relation.Origin.IMPLICIT));
        assertTrue(has(dbus, RelationKind.BEFORE, "shutdown.target", Relation.Origin.IMPLICIT));
        assertEquals("lib/systemd/system/dbus.service", dbus.relations(RelationKind.CONFLICTS).get(0).source().file());
        // DefaultDependencies=no: none of them.
        Job journald = job("systemd-journald.service");
        assertFalse(has(journald, RelationKind.REQUIRES, "sysinit.target", Relation.Origin.IMPLICIT));
        // Sockets= pulls the sockets in and orders after them.
        assertTrue(has(journald, RelationKind.WANTS, "systemd-journald-dev-log.socket", Relation.Origin.IMPLICIT));
        assertTrue(has(journald, RelationKind.AFTER, "systemd-journald-dev-log.socket", Relation.Origin.IMPLICIT));
        // Type=dbus requires the bus socket.
        assertTrue(has(job("polkit.service"), RelationKind.REQUIRES, "dbus.socket", Relation.Origin.IMPLICIT));
    }

    @Test
    void socketsTimersAndPathsTriggerTheirUnits() {
        Job sock = job("dbus.socket");
        assertTrue(has(sock, RelationKind.TRIGGERS, "dbus.service", Relation.Origin.IMPLICIT));
        assertTrue(has(sock, RelationKind.BEFORE, "dbus.service", Relation.Origin.IMPLICIT));
        assertTrue(has(sock, RelationKind.BEFORE, "sockets.target", Relation.Origin.IMPLICIT));
        Job timer = job("man-db.timer");
        assertTrue(has(timer, RelationKind.TRIGGERS, "man-db.service", Relation.Origin.IMPLICIT));
        assertTrue(has(timer, RelationKind.BEFORE, "timers.target", Relation.Origin.IMPLICIT));
        assertTrue(has(timer, RelationKind.AFTER, "time-sync.target", Relation.Origin.IMPLICIT));
        assertTrue(has(job("systemd-ask-password-wall.path"), RelationKind.TRIGGERS,
                "systemd-ask-password-wall.service", Relation.Origin.IMPLICIT));
        assertTrue(has(job("proc-sys-fs-binfmt_misc.automount"), RelationKind.TRIGGERS,
                "proc-sys-fs-binfmt_misc.mount", Relation.Origin.IMPLICIT));
        // syslog.socket triggers syslog.service, which this tree does not have (a syslog daemon provides it).
        assertTrue(has(job("syslog.socket"), RelationKind.TRIGGERS, "syslog.service", Relation.Origin.IMPLICIT));
        assertNull(jobs.get("syslog.service"));
    }

    @Test
    void serviceKeysMapOntoTheModel() {
        Job pg = job("postgresql.service");
        assertTrue(pg.unit().remainAfterExit());
        assertFalse(pg.task());
        Job journald = job("systemd-journald.service");
        assertEquals("notify", journald.ready().mode());
        assertTrue(journald.respawn().enabled());
        assertEquals(5, journald.respawn().limit());
        Job logind = job("systemd-logind.service");
        assertEquals(Long.valueOf(524288), logind.resources().limits().stream()
                .filter(l -> l.resource().equals("nofile")).findFirst().orElseThrow().soft());
        // SuccessExitStatus=DATAERR is sysexits' 65.
        assertTrue(jobs.values().stream().anyMatch(j -> j.normalExit().stream()
                .anyMatch(x -> Integer.valueOf(65).equals(x.code()))));
    }

    @Test
    void definedWithoutFile() {
        for (String n : List.of("-.slice", "system.slice", "system-getty.slice", "user-1000.slice", "dev-sda1.device",
                "init.scope", "boot.mount", "-.mount", "dev-sda2.swap", "tmp.mount")) {
            assertTrue(SystemdReader.definedWithoutFile(n), n);
        }
        for (String n : List.of("dbus.service", "multi-user.target", "foo.socket", "getty@.service", "nonsense", "x.timer")) {
            assertFalse(SystemdReader.definedWithoutFile(n), n);
        }
    }
}
