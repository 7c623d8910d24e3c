package dev.ordo.planner.config.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.EnvironmentFile;
import dev.ordo.planner.model.ExecCommand;
import dev.ordo.planner.model.ExecPrefix;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.OutputTarget;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.ServiceDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exec*= lines as systemd.service(5) "Command lines" reads them: prefixes, quoting, escapes, `;`. */
class ExecLinesTest {

    @TempDir
    Path tmp;

    private static ExecCommand one(String value) {
        List<ExecLines.Line> p = ExecLines.parse(value);
        assertEquals(1, p.size(), p.toString());
        return p.get(0).command();
    }

    @Test
    void wordsAreUnquotedAndUnescapedAsSystemdDoes() {
        // Debian's getty@.service: `-o '-p -- \\u'` passes one argument, backslash-u, to agetty.
        ExecCommand c = one("-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM");
        assertEquals(Set.of(ExecPrefix.IGNORE_FAILURE), c.prefixes());
        assertEquals(List.of("/sbin/agetty", "-o", "-p -- \\u", "--noclear", "-", "$TERM"), c.words());
        // nginx.service: the -g argument is one word with a semicolon inside.
        assertEquals(List.of("/usr/sbin/nginx", "-g", "daemon on; master_process on;"),
                one("/usr/sbin/nginx -g 'daemon on; master_process on;'").words());
        assertEquals(List.of("/bin/echo", "a\tb", "c d"), one("/bin/echo \"a\\tb\" c\\sd").words());
    }

    @Test
    void everyPrefixOnceInAnyOrder() {
        assertEquals(Set.of(ExecPrefix.IGNORE_FAILURE, ExecPrefix.ARGV0, ExecPrefix.NO_EXPANSION, ExecPrefix.FULL_PRIVILEGES),
                one("+:@-/bin/sh sh -c x").prefixes());
        assertEquals(Set.of(ExecPrefix.NO_CREDENTIALS_WITHOUT_AMBIENT), one("!!/lib/systemd/systemd-timesyncd").prefixes());
        assertEquals(Set.of(ExecPrefix.NO_CREDENTIALS, ExecPrefix.IGNORE_FAILURE), one("!-/bin/true").prefixes());
        // `+` and `!` exclude each other; systemd stops reading prefixes there, so `!/bin/true` is the path.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecLines.parse("+!/bin/true"));
        assertEquals("`!/bin/true` is neither an absolute path nor a plain file name", e.getMessage());
    }

    @Test
    void plainNamesAreAllowedRelativePathsAreNot() {
        assertEquals("true", one("true --x").path());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecLines.parse("bin/true"));
        assertEquals("`bin/true` is neither an absolute path nor a plain file name", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExecLines.parse("-@"));
        assertEquals("`-@` has prefixes but no executable", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ExecLines.parse("@/bin/sleep"));
        assertEquals("`@` needs the word that is passed as argv[0] after the path", e.getMessage());
    }

    @Test
    void aLoneSemicolonSeparatesCommandsAnEscapedOneIsAnArgument() {
        List<ExecLines.Line> p = ExecLines.parse("/bin/a 1 ; -/bin/b \\; 2");
        assertEquals(2, p.size());
        assertEquals(List.of("/bin/a", "1"), p.get(0).command().words());
        assertEquals("/bin/a 1", p.get(0).written());
        assertEquals(List.of("/bin/b", ";", "2"), p.get(1).command().words());
        assertEquals("-/bin/b \\; 2", p.get(1).written());
        assertEquals(Set.of(ExecPrefix.IGNORE_FAILURE), p.get(1).command().prefixes());
    }

    @Test
    void theReaderKeepsOneCommandPerLineAndReportsBadLines() throws IOException {
        SystemdReader.TreeRead r = readOne("a.service", "[Service]\nType=oneshot\nExecStartPre=-/bin/false\n"
                + "ExecStartPre=/bin/echo \"a b\" ; /bin/true\nExecStart=bin/oops\nExecStart=/bin/ok\n");
        Job j = SystemdSyntaxTest.job(r, "a.service");
        Process pre = j.processes().get(Phase.PRE_START);
        assertEquals(List.of("-/bin/false", "/bin/echo \"a b\"", "/bin/true"), pre.exec());
        assertEquals(3, pre.lines());
        assertEquals(List.of("/bin/echo", "a b"), pre.commands().get(1).words());
        assertEquals(true, pre.ignoresFailure(0));
        assertEquals(false, pre.ignoresFailure(1));
        assertEquals(List.of("/bin/ok"), j.processes().get(Phase.MAIN).exec(), "the bad line is ignored, as systemd does");
        Diagnostic d = SystemdSyntaxTest.only(r);
        SystemdSyntaxTest.assertDiagnostic(d, Code.UNIT_INVALID_VALUE, "sys/a.service:5:11",
                "ExecStart=: `bin/oops` is neither an absolute path nor a plain file name; systemd ignores the line");
    }

    private SystemdReader.TreeRead readOne(String name, String text) throws IOException {
        SystemdSyntaxTest.write(tmp, "sys/" + name, text);
        return SystemdSyntaxTest.read(tmp.resolve("sys"));
    }

    @Test
    void serviceDirectoriesWithTheirModesAndPreserve() throws IOException {
        SystemdReader.TreeRead r = readOne("sshd.service", String.join("\n", "[Service]", "ExecStart=/usr/sbin/sshd -D",
                "RuntimeDirectory=sshd %N/extra", "RuntimeDirectoryMode=0755", "StateDirectory=a", "StateDirectoryMode=0700",
                "RuntimeDirectoryPreserve=restart", "LogsDirectory=../etc", "EnvironmentFile=-/etc/default/ssh",
                "EnvironmentFile=relative", ""));
        Job j = SystemdSyntaxTest.job(r, "sshd.service");
        assertEquals(List.of("/run/sshd 755", "/run/sshd/extra 755", "/var/lib/a 700"), j.resources().directories().stream()
                .map(d -> d.fullPath() + " " + Integer.toOctalString(d.mode())).toList());
        assertEquals(ServiceDirectory.Preserve.RESTART, j.resources().preserve());
        assertEquals(List.of(new EnvironmentFile("/etc/default/ssh", true, j.resources().environmentFiles().get(0).source())),
                j.resources().environmentFiles());
        List<Diagnostic> d = r.read().diagnostics();
        assertEquals(2, d.size(), d.toString());
        SystemdSyntaxTest.assertDiagnostic(d.get(0), Code.UNIT_INVALID_VALUE, "sys/sshd.service:8:15",
                "LogsDirectory= `../etc` is not a relative path without `..`; systemd ignores it");
        SystemdSyntaxTest.assertDiagnostic(d.get(1), Code.UNIT_INVALID_VALUE, "sys/sshd.service:10:17",
                "EnvironmentFile= `relative` is not an absolute path; systemd ignores it");
    }

    @Test
    void standardOutputAndErrorAsSystemdExecSaysThem() throws IOException {
        // systemd.exec(5), "Logging and Standard Input/Output": file:, append:, truncate:, null; inherit for standard
        // error is standard output's place (unset, "-" here), for standard output standard input's (/dev/null).
        SystemdReader.TreeRead r = readOne("web.service", String.join("\n", "[Service]", "ExecStart=/usr/sbin/web",
                "StandardOutput=append:/var/log/%N.log", "StandardError=truncate:/var/log/%N.err", ""));
        Job j = SystemdSyntaxTest.job(r, "web.service");
        assertEquals(new OutputTarget(OutputTarget.Destination.APPEND, "/var/log/web.log"), j.resources().output());
        assertEquals(new OutputTarget(OutputTarget.Destination.TRUNCATE, "/var/log/web.err"), j.resources().error());
        assertEquals(List.of(), r.read().diagnostics());

        String[][] cases = {
            {"StandardOutput=file:/srv/out", "file:/srv/out", "-"},
            {"StandardOutput=null\nStandardError=journal", "null", "journal"},
            {"StandardOutput=inherit\nStandardError=inherit", "null", "-"},
            {"StandardOutput=kmsg+console\nStandardError=syslog", "journal", "journal"},
            {"StandardOutput=null\nStandardOutput=", "-", "-"}, // an empty assignment resets
            {"StandardOutput=socket", "-", "-"}, // the socket unit hands the connection over
        };
        for (String[] c : cases) {
            Job k = SystemdSyntaxTest.job(readOne("k.service", "[Service]\nExecStart=/bin/k\n" + c[0] + "\n"), "k.service");
            assertEquals(c[1], k.resources().output() == null ? "-" : k.resources().output().text(), c[0]);
            assertEquals(c[2], k.resources().error() == null ? "-" : k.resources().error().text(), c[0]);
        }
    }

    @Test
    void standardOutputThatOrdoCannotHaveIsSaidWithItsPosition() throws IOException {
        SystemdReader.TreeRead r = readOne("odd.service", String.join("\n", "[Service]", "ExecStart=/bin/odd",
                "StandardOutput=file:relative.log", "StandardError=fd:stderr", "StandardOutput=bogus", ""));
        Job j = SystemdSyntaxTest.job(r, "odd.service");
        assertEquals(OutputTarget.JOB_LOG, j.resources().error());
        List<Diagnostic> d = r.read().diagnostics();
        assertEquals(3, d.size(), d.toString());
        SystemdSyntaxTest.assertDiagnostic(d.get(0), Code.UNIT_INVALID_VALUE, "sys/odd.service:3:16",
                "StandardOutput= `file:relative.log` is not an absolute path; systemd ignores it");
        SystemdSyntaxTest.assertDiagnostic(d.get(1), Code.UNIT_DIRECTIVE_NOT_APPLIED, "sys/odd.service:4:15",
                "StandardError= `fd:stderr` is not applied by ordo run: the stream goes to the job's log (ordo passes no"
                        + " named descriptor)");
        SystemdSyntaxTest.assertDiagnostic(d.get(2), Code.UNIT_INVALID_VALUE, "sys/odd.service:5:16",
                "StandardOutput= `bogus` is not a place systemd knows; systemd ignores it");
    }
}
