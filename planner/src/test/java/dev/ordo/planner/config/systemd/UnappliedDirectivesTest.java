package dev.ordo.planner.config.systemd;

import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ORD025: what a unit gives that ordo run does not apply, once per directive, where it is first given. */
class UnappliedDirectivesTest {

    @TempDir
    Path tmp;

    private SystemdReader.TreeRead read(String dir) {
        Path d = tmp.resolve(dir);
        return SystemdReader.read(List.of(d), List.of(), p -> tmp.relativize(p).toString());
    }

    /** {@code file:line:col message} of every diagnostic. */
    private static List<String> shown(SystemdReader.TreeRead r) {
        return r.read().diagnostics().stream().map(d -> d.source() + " " + d.message()).toList();
    }

    @Test
    void aDirectiveNotAppliedIsAWarningAtItsKey() throws IOException {
        write(tmp, "sys/web.service", "[Unit]\nDescription=web\n[Service]\nExecStart=/bin/web\n  ProtectSystem=strict\n");
        List<Diagnostic> ds = read("sys").read().diagnostics();
        assertEquals(1, ds.size(), ds.toString());
        Diagnostic d = ds.get(0);
        assertEquals(Code.UNIT_DIRECTIVE_NOT_APPLIED, d.code());
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("sys/web.service:5:3", d.source().toString());
        assertEquals("ProtectSystem= is not applied by ordo run: the service runs without this sandboxing", d.message());
        assertNull(d.hint());
    }

    @Test
    void orderOnlyAndHintsSayWhatIsKept() throws IOException {
        write(tmp, "sys/a.service", "[Unit]\nRequiresOverridable=b.service\n[Service]\nExecStart=/bin/a\nPrivateTmp=yes\n");
        List<Diagnostic> ds = read("sys").read().diagnostics();
        assertEquals(List.of("sys/a.service:2:1 RequiresOverridable= is not applied by ordo run: no relation is made"
                        + " (systemd reads it as Requires=)",
                "sys/a.service:5:1 PrivateTmp= is not applied by ordo run: the service shares the system's /tmp"
                        + " (it is still ordered after tmp.mount)"),
                ds.stream().map(d -> d.source() + " " + d.message()).toList());
        assertEquals("write Requires=", ds.get(0).hint());
    }

    @Test
    void oncePerDirectiveAtItsFirstAssignmentThatStillCounts() throws IOException {
        write(tmp, "sys/a.service", "[Unit]\nStopWhenUnneeded=yes\nStopWhenUnneeded=true\n"
                + "[Service]\nExecStart=/bin/a\nProtectHome=yes\nCapabilityBoundingSet=CAP_NET_ADMIN\n");
        // A drop-in that resets ProtectHome= (empty) and then gives it again, and resets CapabilityBoundingSet=.
        write(tmp, "sys/a.service.d/local.conf", "[Service]\nProtectHome=\nProtectHome=read-only\nCapabilityBoundingSet=\n");
        assertEquals(List.of(
                "sys/a.service:2:1 StopWhenUnneeded= is not applied by ordo run: the unit stays up when nothing needs it"
                        + " any more",
                "sys/a.service.d/local.conf:3:1 ProtectHome= is not applied by ordo run: the service runs without this sandboxing"),
                shown(read("sys")));
    }

    @Test
    void theValueThatAsksForWhatOrdoRunDoesIsNotReported() throws IOException {
        write(tmp, "sys/a.service", "[Service]\nExecStart=/bin/a\nIgnoreSIGPIPE=no\nPrivateTmp=false\nStandardInput=null\n"
                + "SendSIGKILL=yes\n");
        assertEquals(List.of(), shown(read("sys")));
        write(tmp, "sys2/a.service", "[Service]\nExecStart=/bin/a\nIgnoreSIGPIPE=yes\nRemoveIPC=yes\n");
        assertEquals(List.of("sys2/a.service:3:1 IgnoreSIGPIPE= is not applied by ordo run: SIGPIPE keeps its default action,"
                        + " as with IgnoreSIGPIPE=no",
                "sys2/a.service:4:1 RemoveIPC= is not applied by ordo run: the user's IPC objects stay when the service stops"),
                shown(read("sys2")));
    }

    @Test
    void eachPrefixOfAnExecLineAtItsOwnCharacter() throws IOException {
        write(tmp, "sys/a.service", "[Service]\nExecStartPre=-/bin/pre\nExecStartPre=-/bin/pre2\nExecStart=@-/bin/a a\n"
                + "ExecStop=!!/bin/stop\nExecStopPost=/bin/post\n");
        // Every prefix is applied or clamped now (DirectiveSupport), so none is reported; the prefixes are still found.
        assertEquals(List.of(), shown(read("sys")));
        assertEquals(List.of("-", "@", "!!", ":", "+"), UnappliedDirectives.prefixes("-@!!:+/bin/x -y").stream()
                .map(UnappliedDirectives.Prefix::text).toList());
        assertEquals(List.of(), UnappliedDirectives.prefixes("/bin/x -@"));
    }

    @Test
    void anEmptyExecLineResetsItsPrefixes() throws IOException {
        write(tmp, "sys/a.service", "[Service]\nExecStart=-/bin/a\n");
        write(tmp, "sys/a.service.d/over.conf", "[Service]\nExecStart=\nExecStart=/bin/b\n");
        assertEquals(List.of(), shown(read("sys")));
    }

    @Test
    void masksUserKeysAndUnknownKeysAreNotReported() throws IOException {
        write(tmp, "sys/masked.service", "");
        write(tmp, "etc/gone.service", "[Service]\nExecStart=/bin/gone\nProtectSystem=full\n");
        write(tmp, "sys/gone.service", "[Service]\nExecStart=/bin/gone\nProtectSystem=full\n");
        write(tmp, "sys/a.service", "[Service]\nExecStart=/bin/a\nX-Hardening=ProtectSystem\nProtectSystm=full\n");
        Path etc = tmp.resolve("etc");
        java.nio.file.Files.delete(etc.resolve("gone.service"));
        java.nio.file.Files.createSymbolicLink(etc.resolve("gone.service"), Path.of("/dev/null"));
        SystemdReader.TreeRead r = SystemdReader.read(List.of(etc, tmp.resolve("sys")), List.of(),
                p -> tmp.relativize(p).toString());
        List<Diagnostic> ds = r.read().diagnostics();
        assertEquals(1, ds.size(), ds.toString());
        assertEquals(Code.UNIT_UNKNOWN_KEY, ds.get(0).code(), "a misspelt key is ORD021 only");
    }

    @Test
    void aTemplateIsReportedOnceWithOrWithoutInstances() throws IOException {
        write(tmp, "sys/getty@.service", "[Service]\nExecStart=/sbin/agetty %I\nTTYPath=/dev/%I\n");
        assertEquals(List.of("sys/getty@.service:3:1 TTYPath= is not applied by ordo run: no terminal is opened"),
                shown(read("sys")));
        write(tmp, "sys/getty.target", "[Unit]\nWants=getty@tty1.service getty@tty2.service\n");
        assertEquals(List.of("sys/getty@.service:3:1 TTYPath= is not applied by ordo run: no terminal is opened"),
                shown(read("sys")));
    }

    @Test
    void unitsWithOnlyAppliedKeysGiveNoWarning() throws IOException {
        write(tmp, "sys/a.service", String.join("\n", "[Unit]", "Description=a", "Documentation=man:a(8)",
                "Requires=b.service", "After=b.service", "StartLimitBurst=3", "StartLimitIntervalSec=1min",
                "[Service]", "Type=notify", "ExecStartPre=/bin/pre", "ExecStart=/bin/a $OPTS", "ExecStop=/bin/stop",
                "Restart=on-failure", "SuccessExitStatus=DATAERR", "KillSignal=SIGINT", "TimeoutStopSec=10",
                "TimeoutStartSec=20", "Environment=OPTS=-v", "User=daemon", "Group=daemon", "UMask=0027", "Nice=5",
                "OOMScoreAdjust=-500", "LimitNOFILE=1024:4096", "WorkingDirectory=/var/lib/a",
                "[Install]", "WantedBy=multi-user.target", "Alias=b.service", ""));
        write(tmp, "sys/b.service", "[Service]\nExecStart=/bin/b\n");
        assertEquals(List.of(), shown(read("sys")));
        // The samples ordo's own tour runs: written for ordo run, so nothing in them goes unapplied.
        Path samples = SharedCorpus.TOP.resolve("samples/systemd");
        assertEquals(List.of(), SystemdReader.read(List.of(samples), List.of(), p -> samples.relativize(p).toString())
                .read().diagnostics());
    }
}
