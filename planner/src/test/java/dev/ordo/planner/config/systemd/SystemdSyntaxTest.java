package dev.ordo.planner.config.systemd;

import dev.ordo.planner.config.systemd.SystemdReader;
import dev.ordo.planner.config.systemd.ImplicitDependencies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit file syntax and every diagnostic the systemd reader emits, one example each. */
class SystemdSyntaxTest {

    @TempDir
    Path tmp;

    /** Writes {@code path} (relative to the temp dir) with {@code text}, making directories. */
    static Path write(Path root, String path, String text) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    static SystemdReader.TreeRead read(Path... dirs) {
        return SystemdReader.read(List.of(dirs), List.of(), p -> dirs[0].getParent().relativize(p).toString());
    }

    static Job job(SystemdReader.TreeRead r, String name) {
        return r.read().jobs().stream().filter(j -> j.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no job " + name));
    }

    static Diagnostic only(SystemdReader.TreeRead r) {
        assertEquals(1, r.read().diagnostics().size(), r.read().diagnostics().toString());
        return r.read().diagnostics().get(0);
    }

    static void assertDiagnostic(Diagnostic d, Code code, String where, String message) {
        assertEquals(code, d.code());
        assertEquals(where, d.source().toString());
        assertEquals(message, d.message());
    }

    private int dirs;

    /** Reads a unit directory {@code sys/} that holds only {@code name}. */
    private SystemdReader.TreeRead one(String name, String text) throws IOException {
        Path root = tmp.resolve("t" + (++dirs));
        write(root, "sys/" + name, text);
        return read(root.resolve("sys"));
    }

    // ---- diagnostics ----

    @Test
    void unknownSection() throws IOException {
        Diagnostic d = only(one("a.service", "[Unit]\nDescription=a\n[Servise]\nExecStart=/bin/a\n[X-Mine]\nFoo=1\n"));
        assertDiagnostic(d, Code.UNIT_UNKNOWN_SECTION, "sys/a.service:3:1",
                "unknown section [Servise]; systemd ignores it and every line in it");
        assertEquals("did you mean `Service`?", d.hint());
        assertEquals(Severity.WARNING, d.severity());
    }

    @Test
    void sectionOfAnotherUnitType() throws IOException {
        Diagnostic d = only(one("a.target", "[Unit]\nDescription=a\n  [Service]\nExecStart=/bin/a\n"));
        assertDiagnostic(d, Code.UNIT_UNKNOWN_SECTION, "sys/a.target:3:3",
                "unknown section [Service]; systemd ignores it and every line in it");
        assertEquals("[Service] belongs in .service units; this unit reads [Unit], [Target], [Install]", d.hint());
    }

    @Test
    void unknownKeyWithDidYouMean() throws IOException {
        Diagnostic d = only(one("a.service", "[Unit]\n  Descripton = a\n[Service]\nExecStart=/bin/a\nX-Mine=1\n"));
        assertDiagnostic(d, Code.UNIT_UNKNOWN_KEY, "sys/a.service:2:3",
                "unknown key `Descripton` in section [Unit]; systemd ignores it");
        assertEquals("did you mean `Description`?", d.hint());
    }

    @Test
    void keyInTheWrongSection() throws IOException {
        SystemdReader.TreeRead r = one("a.service", "[Unit]\nExecStart=/bin/a\n");
        Diagnostic d = only(r);
        assertDiagnostic(d, Code.UNIT_UNKNOWN_KEY, "sys/a.service:2:1",
                "unknown key `ExecStart` in section [Unit]; systemd ignores it");
        assertEquals("`ExecStart=` belongs in section [Service]", d.hint());
        assertTrue(job(r, "a.service").processes().isEmpty());
    }

    @Test
    void privateKeysAreKeptAsSettings() throws IOException {
        SystemdReader.TreeRead r = one("a.service", "[Service]\nExecStart=/bin/a\nX-Owner=ops\nNotifyAccess=all\n");
        assertEquals(List.of(), r.read().diagnostics());
        assertEquals(List.of("X-Owner=ops", "NotifyAccess=all"), job(r, "a.service").unit().settings().stream()
                .map(s -> s.key() + "=" + s.value()).toList());
    }

    @Test
    void lineWithoutEquals() throws IOException {
        Diagnostic d = only(one("a.service", "[Service]\nExecStart=/bin/a\n\tRestart always\n"));
        assertDiagnostic(d, Code.UNIT_SYNTAX, "sys/a.service:3:2", "line without `=`; systemd ignores it");
    }

    @Test
    void assignmentOutsideASection() throws IOException {
        Diagnostic d = only(one("a.service", "Description=a\n[Service]\nExecStart=/bin/a\n"));
        assertDiagnostic(d, Code.UNIT_SYNTAX, "sys/a.service:1:1", "assignment outside of any section; systemd ignores it");
    }

    @Test
    void missingKeyName() throws IOException {
        Diagnostic d = only(one("a.service", "[Service]\nExecStart=/bin/a\n =x\n"));
        assertDiagnostic(d, Code.UNIT_SYNTAX, "sys/a.service:3:2", "missing key name before `=`; systemd ignores the line");
    }

    @Test
    void invalidSectionHeader() throws IOException {
        Diagnostic d = only(one("a.service", "[Service\nExecStart=/bin/a\n"));
        assertDiagnostic(d, Code.SYNTAX, "sys/a.service:1:1",
                "invalid section header `[Service`; systemd refuses to load this unit");
        assertEquals(Severity.ERROR, d.severity());
    }

    @Test
    void invalidServiceType() throws IOException {
        SystemdReader.TreeRead r = one("a.service", "[Service]\nType=forkin\nExecStart=/bin/a\n");
        Diagnostic d = only(r);
        assertDiagnostic(d, Code.UNIT_INVALID_VALUE, "sys/a.service:2:6", "invalid Type= `forkin`; systemd ignores it");
        assertEquals("did you mean `forking`? allowed: simple, exec, forking, oneshot, dbus, notify, notify-reload, idle",
                d.hint());
        assertEquals(Severity.ERROR, d.severity());
        assertEquals("simple", job(r, "a.service").unit().serviceType());
    }

    @Test
    void invalidRestart() throws IOException {
        Diagnostic d = only(one("a.service", "[Service]\nExecStart=/bin/a\nRestart=sometimes\n"));
        assertDiagnostic(d, Code.UNIT_INVALID_VALUE, "sys/a.service:3:9", "invalid Restart= `sometimes`; systemd ignores it");
    }

    @Test
    void invalidValuesOfEveryInterpretedKind() throws IOException {
        SystemdReader.TreeRead r = one("a.service", String.join("\n",
                "[Unit]",
                "Requires=network foo@.service %z.service",
                "DefaultDependencies=maybe",
                "[Service]",
                "ExecStart=/bin/a",
                "KillSignal=SIGFOO",
                "TimeoutStopSec=5x",
                "Nice=100",
                "UMask=999",
                "LimitNOFILE=lots",
                "SuccessExitStatus=0 NOPE",
                "Environment=GOOD=1 =bad",
                ""));
        List<String> got = r.read().diagnostics().stream()
                .map(d -> d.code().id() + " " + d.source().line() + ":" + d.source().column() + " " + d.message()).toList();
        assertEquals(List.of(
                "ORD023 2:10 Requires= names `network`, which is not a unit name; systemd ignores it",
                "ORD023 2:18 Requires= names the template `foo@.service`; systemd ignores it",
                "ORD023 2:31 unknown specifier `%z` in `%z.service` (write %% for a percent sign); systemd ignores this name",
                "ORD023 3:21 DefaultDependencies=: not a boolean: `maybe` (use yes or no); systemd ignores it",
                "ORD023 6:12 KillSignal=: unknown signal: SIGFOO; systemd ignores it",
                "ORD023 7:16 TimeoutStopSec=: unknown unit 'x' in duration 5x (use ms, s, m or h); systemd ignores it",
                "ORD023 8:6 Nice= `100` is not a whole number from -20 to 19; systemd ignores it",
                "ORD023 9:7 UMask=: umask `999` is not an octal mode such as 0022; systemd ignores it",
                "ORD023 10:13 LimitNOFILE=: `lots` is not a number, a size such as 64K, or infinity; systemd ignores it",
                "ORD023 11:21 SuccessExitStatus=: `NOPE` is not an exit code (0 to 255), an exit status name such as "
                        + "DATAERR, or a signal such as SIGKILL; systemd ignores it",
                "ORD023 12:20 Environment= `=bad` is not an assignment KEY=VALUE; systemd ignores it"), got);
        assertEquals("a unit name ends in its type: did you mean `network.service` or `network.target`?",
                r.read().diagnostics().get(0).hint());
        Job a = job(r, "a.service");
        assertTrue(a.unit().defaultDependencies());
        assertEquals(List.of("GOOD"), a.env().stream().map(EnvVar::key).toList());
        assertEquals(List.of(0), a.normalExit().stream().map(x -> x.code()).toList());
        assertTrue(a.relations(RelationKind.REQUIRES).stream().noneMatch(x -> x.origin() == Relation.Origin.DECLARED));
    }

    @Test
    void severalExecStartNeedOneshot() throws IOException {
        Diagnostic d = only(one("a.service", "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n"));
        assertDiagnostic(d, Code.UNIT_INVALID_VALUE, "sys/a.service:3:1",
                "more than one ExecStart= line; systemd refuses a simple service with several");
        SystemdReader.TreeRead ok = one("b.service", "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n");
        assertEquals(List.of(), ok.read().diagnostics());
        assertEquals(List.of("/bin/a", "/bin/b"), job(ok, "b.service").processes().get(Phase.MAIN).exec());
    }

    @Test
    void danglingAliasLink() throws IOException {
        write(tmp, "sys/a.service", "/lib/systemd/system/gone.service\n");
        Diagnostic d = only(read(tmp.resolve("sys")));
        assertDiagnostic(d, Code.UNREADABLE, "sys/a.service:1:1",
                "`a.service` links to `/lib/systemd/system/gone.service`, which is not a unit ordo can find; "
                        + "systemd ignores the link");
        assertEquals(Severity.WARNING, d.severity());
    }

    @Test
    void aTemplateIsCheckedOnceHoweverManyInstancesItMakes() throws IOException {
        write(tmp, "sys/t@.service", "[Unit]\nDescription=%i\n[Service]\nType=bogus\nExecStart=/bin/t %I\n");
        write(tmp, "sys/a.target", "[Unit]\nWants=t@one.service t@two.service\n");
        write(tmp, "sys/u@.service", "[Service]\nNice=99\nExecStart=/bin/u\n");
        SystemdReader.TreeRead r = read(tmp.resolve("sys"));
        assertEquals(List.of("sys/t@.service:4:6", "sys/u@.service:2:6"),
                r.read().diagnostics().stream().map(d -> d.source().toString()).toList());
        assertEquals(List.of("/bin/t two"), job(r, "t@two.service").processes().get(Phase.MAIN).exec());
        assertFalse(r.read().jobs().stream().anyMatch(j -> j.name().startsWith("u@")));
    }

    // ---- syntax ----

    @Test
    void continuationLinesJoinWithASpaceAndSkipComments() throws IOException {
        SystemdReader.TreeRead r = one("a.service", String.join("\n",
                "[Unit]",
                "Description=one \\",
                "# a comment inside",
                "; another",
                "  two\\",
                "three",
                "After=x.service \\",
                "   y.service",
                "[Service]",
                "ExecStart=/bin/a",
                "Environment=A=1 \\",
                "  B=\"2 3\"",
                ""));
        assertEquals(List.of(), r.read().diagnostics());
        Job a = job(r, "a.service");
        assertEquals("one    two three", a.description());
        Relation y = a.relations().stream().filter(x -> x.target().equals("y.service")).findFirst().orElseThrow();
        assertEquals("sys/a.service:8:4", y.source().toString());
        EnvVar b = a.env().get(1);
        assertEquals("2 3", b.value());
        assertEquals("sys/a.service:12:3", b.source().toString());
    }

    @Test
    void anEscapedBackslashDoesNotContinue() throws IOException {
        SystemdReader.TreeRead r = one("a.service", "[Unit]\nDescription=a\\\\\nAfter=b.service\n");
        assertEquals(List.of(), r.read().diagnostics());
        assertEquals("a\\\\", job(r, "a.service").description());
        assertEquals(1, job(r, "a.service").relations(RelationKind.AFTER).stream()
                .filter(x -> x.origin() == Relation.Origin.DECLARED).count());
    }

    @Test
    void emptyAssignmentResetsListsButNotDependencies() throws IOException {
        write(tmp, "sys/a.service", String.join("\n",
                "[Unit]",
                "After=x.service",
                "Wants=w.service",
                "[Service]",
                "ExecStart=/bin/old",
                "Environment=A=1",
                "SuccessExitStatus=3",
                "[Install]",
                "WantedBy=multi-user.target",
                ""));
        write(tmp, "sys/a.service.d/override.conf", String.join("\n",
                "[Unit]",
                "After=",
                "After=y.service",
                "[Service]",
                "ExecStart=",
                "ExecStart=/bin/new",
                "Environment=",
                "Environment=B=2",
                "SuccessExitStatus=",
                "[Install]",
                "WantedBy=",
                "WantedBy=graphical.target",
                ""));
        SystemdReader.TreeRead r = read(tmp.resolve("sys"));
        assertEquals(List.of(), r.read().diagnostics());
        Job a = job(r, "a.service");
        assertEquals(List.of("/bin/new"), a.processes().get(Phase.MAIN).exec());
        assertEquals("sys/a.service.d/override.conf:6:1", a.processes().get(Phase.MAIN).source().toString());
        assertEquals(List.of("B"), a.env().stream().map(EnvVar::key).toList());
        assertTrue(a.normalExit().isEmpty());
        assertEquals(List.of("graphical.target"), a.unit().install().stream().map(Relation::target).toList());
        // systemd.unit(5): "Dependencies (After=, etc.) cannot be reset to an empty list"; systemd 252 keeps both.
        assertEquals(List.of("x.service", "y.service"), a.relations(RelationKind.AFTER).stream()
                .filter(x -> x.origin() == Relation.Origin.DECLARED).map(Relation::target).toList());
    }

    @Test
    void environmentQuoting() throws IOException {
        SystemdReader.TreeRead r = one("a.service", "[Service]\nExecStart=/bin/a\n"
                + "Environment=\"A=x y\" 'B=a\"b' C=\\x41\\n D=%n\n");
        assertEquals(List.of(), r.read().diagnostics());
        assertEquals(List.of("A=x y", "B=a\"b", "C=A\n", "D=a.service"),
                job(r, "a.service").env().stream().map(e -> e.key() + "=" + e.value()).toList());
        Diagnostic d = only(one("b.service", "[Service]\nExecStart=/bin/a\nEnvironment=\"A=x\n"));
        assertDiagnostic(d, Code.UNIT_INVALID_VALUE, "sys/b.service:3:13",
                "Environment=: unbalanced quote \" in: \"A=x; systemd ignores the line");
    }

    @Test
    void specifiers() throws IOException {
        write(tmp, "sys/foo-bar@.service", String.join("\n",
                "[Unit]",
                "Description=%n %N %p %P %i %I %j %J %f %% %H",
                "After=x@%i.service",
                "[Service]",
                "ExecStart=/bin/run %I in %t",
                "WorkingDirectory=-%S/%p",
                ""));
        write(tmp, "sys/a.target", "[Unit]\nWants=foo-bar@a\\x2db.service\n");
        SystemdReader.TreeRead r = read(tmp.resolve("sys"));
        assertEquals(List.of(), r.read().diagnostics());
        Job j = job(r, "foo-bar@a\\x2db.service");
        // %P and %I undo the escaping as systemd-escape --unescape does: foo-bar is foo/bar, a\x2db is a-b.
        assertEquals("foo-bar@a\\x2db.service foo-bar@a\\x2db foo-bar foo/bar a\\x2db a-b bar bar /a-b % %H",
                j.description());
        assertTrue(j.relations().stream().anyMatch(x -> x.target().equals("x@a\\x2db.service")));
        assertEquals(List.of("/bin/run a-b in /run"), j.processes().get(Phase.MAIN).exec());
        assertEquals("-/var/lib/foo-bar", j.resources().chdir(), "kept as written: `-` lets it be missing");
        assertEquals("/var/lib/foo-bar", j.resources().chdirPath("/root"));
        assertTrue(j.resources().chdirOptional());
    }

    /** Debian's postgresql@.service asserts /etc/postgresql/%I/postgresql.conf: for postgresql@15-main that is 15/main. */
    @Test
    void theUnescapedInstanceIsAPath() throws IOException {
        write(tmp, "sys/pg@.service", "[Unit]\nDescription=%I\n[Service]\nExecStart=/bin/pg %i\n");
        write(tmp, "sys/a.target", "[Unit]\nWants=pg@15-main.service\n");
        SystemdReader.TreeRead r = read(tmp.resolve("sys"));
        assertEquals(List.of(), r.read().diagnostics());
        Job j = job(r, "pg@15-main.service");
        assertEquals("15/main", j.description());
        assertEquals(List.of("/bin/pg 15-main"), j.processes().get(Phase.MAIN).exec());
    }

    @Test
    void serviceKeys() throws IOException {
        SystemdReader.TreeRead r = one("a.service", String.join("\n",
                "[Unit]",
                "StartLimitBurst=3",
                "StartLimitIntervalSec=1min",
                "[Service]",
                "Type=oneshot",
                "ExecStartPre=/bin/pre",
                "ExecStart=/bin/a",
                "ExecStartPost=/bin/post",
                "ExecStop=/bin/stop",
                "ExecStopPost=/bin/poststop",
                "Restart=on-failure",
                "SuccessExitStatus=DATAERR SIGUSR1",
                "RestartPreventExitStatus=7",
                "KillSignal=SIGINT",
                "TimeoutStopSec=1min 30s",
                "User=daemon",
                "Group=daemon",
                "UMask=0027",
                "Nice=5",
                "OOMScoreAdjust=-500",
                "RootDirectory=/srv/root",
                "LimitNOFILE=1024:4096",
                "LimitCORE=infinity",
                "LimitMEMLOCK=64K",
                ""));
        // Read into the model, but the spawner refuses to chroot: said before running (ORD025), nothing else.
        assertDiagnostic(only(r), Code.UNIT_DIRECTIVE_NOT_APPLIED, "sys/a.service:21:1",
                "RootDirectory= is not applied by ordo run: the spawner does not chroot, so the job fails to start");
        Job a = job(r, "a.service");
        assertTrue(a.task());
        assertEquals(List.of(Phase.PRE_START, Phase.MAIN, Phase.POST_START, Phase.PRE_STOP, Phase.POST_STOP),
                List.copyOf(a.processes().keySet()));
        assertTrue(a.respawn().enabled());
        assertEquals(3, a.respawn().limit());
        assertEquals(Duration.ofMinutes(1), a.respawn().interval());
        assertEquals("[0, HUP, INT, TERM, PIPE, 65, USR1, 7]", a.normalExit().toString());
        assertEquals("INT", a.kill().signal().name());
        assertEquals(Duration.ofSeconds(90), a.kill().timeout());
        assertEquals("daemon", a.resources().user());
        assertEquals(Integer.valueOf(027), a.resources().umask());
        assertEquals(Integer.valueOf(5), a.resources().nice());
        assertEquals(Integer.valueOf(-500), a.resources().oomScore());
        assertEquals("/srv/root", a.resources().chroot());
        assertEquals("[nofile 1024/4096, core null/null, memlock 65536/65536]", a.resources().limits().stream()
                .map(l -> l.resource() + " " + l.soft() + "/" + l.hard()).toList().toString());
    }

    @Test
    void readinessFromType() throws IOException {
        write(tmp, "sys/f.service", "[Service]\nType=forking\nExecStart=/bin/f\n");
        write(tmp, "sys/n.service", "[Service]\nType=notify\nExecStart=/bin/n\n");
        write(tmp, "sys/d.service", "[Service]\nBusName=org.x\nExecStart=/bin/d\n");
        write(tmp, "sys/o.service", "[Service]\nRemainAfterExit=yes\nExecStop=/bin/o\n");
        write(tmp, "sys/p@.service", "[Service]\nType=forking\nPIDFile=p/%i.pid\nExecStart=/bin/p\n");
        write(tmp, "sys/r.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/r\n");
        write(tmp, "sys/default.target", "[Unit]\n");
        write(tmp, "sys/default.target.wants/p@one.service", "../p@.service");
        SystemdReader.TreeRead r = read(tmp.resolve("sys"));
        // Type=forking: ready when the main process exits (not at the fork, as Upstart's expect fork).
        assertEquals(new Readiness.Forking(), job(r, "f.service").ready());
        // PIDFile= with specifiers, a relative path under /run/ as systemd.service(5) says.
        assertEquals(new Readiness.Forking("/run/p/one.pid"), job(r, "p@one.service").ready());
        assertEquals(new Readiness.UpOnExit(), job(r, "r.service").ready());
        assertEquals("notify", job(r, "n.service").ready().mode());
        assertEquals("dbus", job(r, "d.service").unit().serviceType());
        // Type=dbus is up when its name is on the bus: a probe that asks the bus for the name's owner.
        assertEquals(new Readiness.Exec(UnitJobBuilder.busNameProbe("org.x"), null), job(r, "d.service").ready());
        assertTrue(job(r, "d.service").relations().stream().anyMatch(x -> x.target().equals("dbus.socket")
                && x.kind() == RelationKind.REQUIRES && x.origin() == Relation.Origin.IMPLICIT));
        Job o = job(r, "o.service");
        assertEquals("oneshot", o.unit().serviceType());
        assertFalse(o.task());
        assertTrue(o.isAbstract());
    }

    // ---- the tree: precedence, drop-ins, links, aliases, masks, templates ----

    @Test
    void dropInPrecedenceAndOrder() throws IOException {
        write(tmp, "lib/a-b-c.service", "[Unit]\nDescription=lib\n[Service]\nExecStart=/bin/a\n");
        write(tmp, "lib/a-b-c.service.d/20-z.conf", "[Unit]\nDescription=lib-20\n");
        write(tmp, "lib/a-b-c.service.d/10-x.conf", "[Service]\nNice=1\n");
        write(tmp, "etc/a-b-c.service.d/20-z.conf", "[Unit]\nDescription=etc-20\n");
        write(tmp, "lib/a-.service.d/05-prefix.conf", "[Service]\nNice=2\nUser=prefix\n");
        write(tmp, "lib/a-b-.service.d/06-prefix.conf", "[Service]\nUser=longer-prefix\n");
        write(tmp, "lib/service.d/01-type.conf", "[Service]\nGroup=all\n");
        write(tmp, "lib/service.d/99-masked.conf", "");
        write(tmp, "etc/service.d/99-masked.conf", "[Service]\nGroup=never\n");
        SystemdReader.TreeRead r = read(tmp.resolve("etc"), tmp.resolve("lib"));
        assertEquals(List.of(), r.read().diagnostics());
        Job a = job(r, "a-b-c.service");
        assertEquals(List.of("lib/service.d/01-type.conf", "lib/a-.service.d/05-prefix.conf",
                "lib/a-b-.service.d/06-prefix.conf", "lib/a-b-c.service.d/10-x.conf", "etc/a-b-c.service.d/20-z.conf",
                "etc/service.d/99-masked.conf"), a.unit().dropIns());
        assertEquals("etc-20", a.description());
        assertEquals(Integer.valueOf(1), a.resources().nice());
        assertEquals("longer-prefix", a.resources().user());
        assertEquals("never", a.resources().group());
    }

    @Test
    void anEmptyDropInMasksItsNamesake() throws IOException {
        write(tmp, "lib/u@.service", "[Service]\nExecStart=/bin/u\n");
        write(tmp, "lib/u@.service.d/10-barrier.conf", "[Unit]\nAfter=late.service\n");
        write(tmp, "lib/u@0.service.d/10-barrier.conf", "");
        write(tmp, "lib/all.target", "[Unit]\nWants=u@0.service u@1000.service\n");
        SystemdReader.TreeRead r = read(tmp.resolve("lib"));
        assertEquals(List.of(), r.read().diagnostics());
        assertEquals(List.of(), job(r, "u@0.service").unit().dropIns());
        assertEquals(List.of("lib/u@.service.d/10-barrier.conf"), job(r, "u@1000.service").unit().dropIns());
        assertTrue(job(r, "u@1000.service").relations().stream().anyMatch(x -> x.target().equals("late.service")));
        assertFalse(job(r, "u@0.service").relations().stream().anyMatch(x -> x.target().equals("late.service")));
    }

    @Test
    void theFirstDirectoryWinsForAName() throws IOException {
        write(tmp, "lib/a.service", "[Unit]\nDescription=lib\n[Service]\nExecStart=/bin/a\n");
        write(tmp, "etc/a.service", "[Unit]\nDescription=etc\n[Service]\nExecStart=/bin/a\n");
        write(tmp, "lib/b.service", "[Unit]\nDescription=b\n[Service]\nExecStart=/bin/b\n");
        write(tmp, "etc/b.service", "/dev/null\n");
        SystemdReader.TreeRead r = read(tmp.resolve("etc"), tmp.resolve("lib"));
        assertEquals("etc", job(r, "a.service").description());
        assertTrue(job(r, "b.service").unit().masked());
        assertFalse(r.files().contains("lib/a.service"));
    }

    @Test
    void realSymlinksWorkLikeStoredOnes() throws IOException {
        Path lib = tmp.resolve("lib");
        write(tmp, "lib/real.service", "[Service]\nExecStart=/bin/real\n");
        write(tmp, "lib/g@.service", "[Unit]\nDescription=g %I\n[Service]\nExecStart=/bin/g\n");
        write(tmp, "lib/m.target", "[Unit]\nDescription=m\n");
        Files.createSymbolicLink(lib.resolve("alias.service"), Path.of("real.service"));
        Files.createSymbolicLink(lib.resolve("masked.service"), Path.of("/dev/null"));
        Files.createDirectories(lib.resolve("m.target.wants"));
        Files.createSymbolicLink(lib.resolve("m.target.wants/g@x.service"), Path.of("../g@.service"));
        Files.createSymbolicLink(lib.resolve("m.target.wants/alias.service"), Path.of("/nowhere/at/all"));
        write(tmp, "lib/user.service", "[Unit]\nRequires=alias.service masked.service\n[Service]\nExecStart=/bin/u\n");
        SystemdReader.TreeRead r = read(lib);
        assertEquals(List.of(), r.read().diagnostics());
        assertEquals(List.of("alias.service"), job(r, "real.service").unit().aliases().stream().map(Named::name).toList());
        assertTrue(job(r, "masked.service").unit().masked());
        assertEquals("g x", job(r, "g@x.service").description());
        Job m = job(r, "m.target");
        assertEquals(List.of("real.service", "g@x.service"), m.relations(RelationKind.WANTS).stream()
                .map(Relation::target).sorted((x, y) -> y.compareTo(x)).toList());
        assertEquals(List.of("real.service", "masked.service"),
                job(r, "user.service").relations(RelationKind.REQUIRES).stream()
                        .filter(x -> x.origin() == Relation.Origin.DECLARED).map(Relation::target).toList());
    }

    @Test
    void anInstanceFileWinsOverItsTemplate() throws IOException {
        write(tmp, "lib/t@.service", "[Unit]\nDescription=template %i\n[Service]\nExecStart=/bin/t\n");
        write(tmp, "lib/t@special.service", "[Unit]\nDescription=own\n[Service]\nExecStart=/bin/own\n");
        write(tmp, "lib/t@.service.d/x.conf", "[Service]\nNice=3\n");
        write(tmp, "lib/a.target", "[Unit]\nWants=t@plain.service\n");
        SystemdReader.TreeRead r = read(tmp.resolve("lib"));
        Job special = job(r, "t@special.service");
        assertEquals("own", special.description());
        assertEquals(Integer.valueOf(3), special.resources().nice()); // template drop-ins still apply
        assertEquals("template plain", job(r, "t@plain.service").description());
        assertFalse(r.read().jobs().stream().anyMatch(j -> j.name().equals("t@.service")));
    }

    @Test
    void aliasDeclaredInInstall() throws IOException {
        write(tmp, "lib/real.service", "[Service]\nExecStart=/bin/r\n[Install]\nAlias=nick.service\n");
        write(tmp, "lib/one.target", "[Unit]\nDescription=1\n[Install]\nAlias=both.target\n");
        write(tmp, "lib/two.target", "[Unit]\nDescription=2\n[Install]\nAlias=both.target\n");
        write(tmp, "lib/user.service", "[Unit]\nAfter=nick.service both.target\n[Service]\nExecStart=/bin/u\n");
        SystemdReader.TreeRead r = read(tmp.resolve("lib"));
        assertEquals(List.of(), r.read().diagnostics());
        Named nick = job(r, "real.service").unit().aliases().get(0);
        assertEquals("nick.service", nick.name());
        assertEquals("lib/real.service:4:7", nick.source().toString());
        // Two units claim both.target: only the one enabled would own it, so it names neither.
        assertEquals(List.of("real.service", "both.target"), job(r, "user.service").relations(RelationKind.AFTER)
                .stream().filter(x -> x.origin() == Relation.Origin.DECLARED).map(Relation::target).toList());
        assertTrue(job(r, "one.target").unit().aliases().isEmpty());
    }

    @Test
    void explicitFilesWinAndMayUseTheDirectories() throws IOException {
        write(tmp, "lib/dep.service", "[Service]\nExecStart=/bin/dep\n");
        write(tmp, "lib/mine.service", "[Unit]\nDescription=from lib\n[Service]\nExecStart=/bin/x\n");
        Path mine = write(tmp, "work/mine.service", "[Unit]\nDescription=mine\nRequires=dep.service\n"
                + "[Service]\nExecStart=/bin/mine\n");
        SystemdReader.TreeRead r = SystemdReader.read(List.of(tmp.resolve("lib")), List.of(mine),
                p -> tmp.relativize(p).toString());
        assertEquals("mine", job(r, "mine.service").description());
        assertEquals("work/mine.service", job(r, "mine.service").source().file());
        assertTrue(r.files().contains("work/mine.service"));
        SystemdReader.TreeRead missing = SystemdReader.read(List.of(), List.of(tmp.resolve("nope.service")),
                p -> tmp.relativize(p).toString());
        assertDiagnostic(only(missing), Code.UNREADABLE, "nope.service", "no such unit file");
    }

    @Test
    void targetsAreOrderedAfterWhatTheyWant() throws IOException {
        write(tmp, "lib/t.target", "[Unit]\nWants=a.service b.service c.service\nBefore=c.service\n");
        write(tmp, "lib/a.service", "[Service]\nExecStart=/bin/a\n");
        write(tmp, "lib/b.service", "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/b\n");
        write(tmp, "lib/c.service", "[Service]\nExecStart=/bin/c\n");
        SystemdReader.TreeRead r = read(tmp.resolve("lib"));
        Job t = job(r, "t.target");
        assertEquals(List.of("a.service"), t.relations(RelationKind.AFTER).stream()
                .filter(x -> x.origin() == Relation.Origin.IMPLICIT).map(Relation::target).toList());
        assertEquals("lib/t.target:2:7", t.relations(RelationKind.AFTER).get(0).source().toString());
    }

    @Test
    void mountsAndSlices() throws IOException {
        write(tmp, "lib/data.mount", "[Mount]\nWhat=/dev/sdb1\nWhere=/data\nType=ext4\n");
        write(tmp, "lib/data-www.mount", "[Mount]\nWhat=srv:/www\nWhere=/data/www\nType=nfs\n");
        write(tmp, "lib/a.service", "[Service]\nExecStart=/bin/a\nSlice=system-a.slice\n");
        SystemdReader.TreeRead r = read(tmp.resolve("lib"));
        // Nothing wrong; only what ordo run uses for order alone (nothing is mounted, no cgroup is made).
        assertEquals(List.of("lib/a.service:3:1 Slice=", "lib/data-www.mount:2:1 What=", "lib/data-www.mount:3:1 Where=",
                "lib/data-www.mount:4:1 Type=", "lib/data.mount:2:1 What=", "lib/data.mount:3:1 Where=", "lib/data.mount:4:1 Type="),
                r.read().diagnostics().stream().filter(d -> d.code() == Code.UNIT_DIRECTIVE_NOT_APPLIED)
                        .map(d -> d.source() + " " + d.message().substring(0, d.message().indexOf('=') + 1)).toList());
        assertEquals(7, r.read().diagnostics().size());
        String data = job(r, "data.mount").relations().stream().map(x -> x.kind().key() + " " + x.target()).toList()
                .toString();
        assertEquals("[binds_to dev-sdb1.device, after dev-sdb1.device, conflicts umount.target, before umount.target, "
                + "after local-fs-pre.target, before local-fs.target]", data);
        Job www = job(r, "data-www.mount");
        assertTrue(www.relations().stream().anyMatch(x -> x.kind() == RelationKind.BEFORE
                && x.target().equals("remote-fs.target")));
        assertTrue(www.relations().stream().anyMatch(x -> x.kind() == RelationKind.REQUIRES
                && x.target().equals("data.mount")));
        assertTrue(job(r, "a.service").relations().stream().anyMatch(x -> x.kind() == RelationKind.REQUIRES
                && x.target().equals("system-a.slice")));
        assertEquals("system.slice", ImplicitDependencies.parentSlice("system-a.slice"));
        assertEquals("-.slice", ImplicitDependencies.parentSlice("system.slice"));
        assertNull(ImplicitDependencies.parentSlice("-.slice"));
    }

    @Test
    void everyOutputIsSortedAndRepeatable() throws IOException {
        write(tmp, "lib/b.service", "[Unit]\nFoo=1\n[Service]\nExecStart=/bin/b\n");
        write(tmp, "lib/a.service", "[Unit]\nBar=1\n[Service]\nExecStart=/bin/a\n");
        SystemdReader.TreeRead one = read(tmp.resolve("lib"));
        SystemdReader.TreeRead two = read(tmp.resolve("lib"));
        assertEquals(one, two);
        assertEquals(List.of("a.service", "b.service"), one.read().jobs().stream().map(Job::name).toList());
        assertEquals(List.of("lib/a.service", "lib/b.service"), one.read().diagnostics().stream()
                .map(d -> d.source().file()).collect(Collectors.toList()));
    }
}
