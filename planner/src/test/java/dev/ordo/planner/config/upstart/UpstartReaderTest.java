package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.config.upstart.UpstartReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How each Upstart stanza lands in the model (U§4), and the file-format details around them. */
class UpstartReaderTest {

    /** Reads a file that must be free of diagnostics. */
    static Job job(String text) {
        ReadResult r = UpstartReader.read("t.conf", "t", text, null, null);
        assertEquals(List.of(), r.diagnostics());
        assertEquals(1, r.jobs().size());
        return r.jobs().get(0);
    }

    static Job withOverride(String conf, String override, List<Diagnostic> diagnostics) {
        ReadResult r = UpstartReader.read("t.conf", "t", conf, "t.override", override);
        diagnostics.addAll(r.diagnostics());
        return r.jobs().get(0);
    }

    @Test
    void everyStanzaLandsInTheModel() {
        Job j = job("""
                description "a demo job"
                author "Someone <someone@example.org>"
                version "1.0"
                usage "start t NAME=x"
                instance $NAME
                start on started dbus
                stop on stopping dbus
                task
                respawn
                respawn limit 3 30
                normal exit 0 1 TERM SIGHUP
                env A=1
                env B
                env C=""
                export A B
                emits thing-ready thing-*
                expect daemon
                kill timeout 20
                kill signal INT
                reload signal USR1
                umask 027
                nice -5
                oom score 300
                limit nofile 1024 4096
                limit core unlimited unlimited
                chdir /srv
                chroot /jail
                setuid daemon
                setgid "daemon"
                console output
                apparmor load /etc/apparmor.d/demo
                apparmor switch demo
                cgroup memory demo memory.limit_in_bytes 1000000
                debug
                pre-start exec mkdir -p /run/demo
                exec /usr/bin/demo --foreground
                post-start script
                  echo started
                end script
                pre-stop exec /usr/bin/demo --drain
                post-stop exec rm -rf /run/demo
                """);
        assertEquals("t", j.name());
        assertEquals(Format.UPSTART, j.format());
        assertEquals(new Source("t.conf", 1, 1), j.source());
        assertEquals("a demo job", j.description());
        assertEquals("$NAME", j.instance().text());
        assertEquals(new Source("t.conf", 5, 1), j.instance().source());
        assertEquals("started dbus", j.startOn().text());
        assertEquals("stopping dbus", j.stopOn().text());
        assertFalse(j.manual());
        assertTrue(j.task());
        assertTrue(j.respawn().enabled());
        assertEquals(3, j.respawn().limit());
        assertEquals(Duration.ofSeconds(30), j.respawn().interval());
        assertEquals(new Source("t.conf", 9, 1), j.respawn().source());
        assertEquals(List.of(ExitStatus.code(0), ExitStatus.code(1), ExitStatus.signal(Signal.TERM),
                ExitStatus.signal(Signal.HUP)), j.normalExit());
        assertEquals(List.of(new EnvVar("A", "1", new Source("t.conf", 12, 1)), new EnvVar("B", null, new Source("t.conf", 13, 1)),
                new EnvVar("C", "", new Source("t.conf", 14, 1))), j.env());
        assertEquals(List.of(new Named("A", new Source("t.conf", 15, 8)), new Named("B", new Source("t.conf", 15, 10))),
                j.export());
        assertEquals(List.of("thing-ready", "thing-*"), j.emits().stream().map(Named::name).toList());
        assertInstanceOf(Readiness.Daemon.class, j.ready());
        assertEquals(Duration.ofSeconds(20), j.kill().timeout());
        assertEquals(Signal.INT, j.kill().signal());
        assertEquals(Signal.parse("USR1"), j.kill().reload());
        assertEquals(027, j.resources().umask());
        assertEquals(-5, j.resources().nice());
        assertEquals(300, j.resources().oomScore());
        assertEquals(List.of(new Limit("nofile", 1024L, 4096L, new Source("t.conf", 24, 1)),
                new Limit("core", null, null, new Source("t.conf", 25, 1))), j.resources().limits());
        assertEquals("/srv", j.resources().chdir());
        assertEquals("/jail", j.resources().chroot());
        assertEquals("daemon", j.resources().user());
        assertEquals("daemon", j.resources().group());
        assertEquals(Console.OUTPUT, j.console());
        assertEquals(List.of(Phase.PRE_START, Phase.MAIN, Phase.POST_START, Phase.PRE_STOP, Phase.POST_STOP),
                List.copyOf(j.processes().keySet()));
        assertEquals(Process.exec(Phase.PRE_START, "mkdir -p /run/demo", new Source("t.conf", 35, 1)),
                j.processes().get(Phase.PRE_START));
        assertEquals(List.of("/usr/bin/demo --foreground"), j.processes().get(Phase.MAIN).exec());
        assertEquals("  echo started\n", j.processes().get(Phase.POST_START).script());
        assertEquals(new Source("t.conf", 37, 1), j.processes().get(Phase.POST_START).source());
        assertEquals("rm -rf /run/demo", j.processes().get(Phase.POST_STOP).exec().get(0));
    }

    @Test
    void anEmptyOrCommentOnlyFileIsAnAbstractManualJob() {
        for (String text : List.of("", "# nothing here\n\n   # indented comment\n", "\n\n\n")) {
            Job j = job(text);
            assertTrue(j.isAbstract());
            assertTrue(j.manual());
            assertNull(j.startOn());
            assertFalse(j.respawn().enabled());
            assertEquals(Console.LOG, j.console());
        }
    }

    @Test
    void commentsWhitespaceLineEndsAndNonAsciiTextAreHarmless() {
        Job j = job("# header\r\n\tdescription\t\"Zoë's daemon — ünïcode\"   \r\n"
                + "start on runlevel [2345] # boot\r\n\r\nexec /bin/true # trailing comment\r\nrespawn   ");
        assertEquals("Zoë's daemon — ünïcode", j.description());
        assertEquals("runlevel [2345]", j.startOn().text());
        assertEquals(List.of("/bin/true"), j.processes().get(Phase.MAIN).exec());
        assertTrue(j.respawn().enabled());
    }

    @Test
    void columnsCountCharactersNotBytes() {
        ReadResult r = UpstartReader.read("t.conf", "t", "description \"ünï\" x\n", null, null);
        assertEquals(19, r.diagnostics().get(0).source().column());
    }

    @Test
    void aHashInsideQuotesOrEscapedIsNotAComment() {
        Job j = job("exec echo \"a # b\" \\# c # comment\n");
        assertEquals(List.of("echo \"a # b\" \\# c"), j.processes().get(Phase.MAIN).exec());
    }

    @Test
    void backslashContinuationJoinsLinesWithOneSpaceAnywhere() {
        Job j = job("exec /bin/server --a=1    \\\n         --b=2 \\\n  --c=3   \nenv \\\n  KEY=value\ndescription \"two\n   lines\"\n");
        assertEquals(List.of("/bin/server --a=1 --b=2 --c=3"), j.processes().get(Phase.MAIN).exec());
        assertEquals(List.of(new EnvVar("KEY", "value", new Source("t.conf", 4, 1))), j.env());
        assertEquals("two lines", j.description());
    }

    @Test
    void startOnMaySpanLinesInsideParenthesesWithCommentsAndKeepsTruePositions() {
        Job j = job("""
                start on (filesystem # the disks
                          and (started ssh   
                               or started sshd)) # either
                exec x
                """);
        assertEquals("filesystem and (started ssh or started sshd)", j.startOn().text());
        List<EventExpr.Match> m = j.startOn().matches();
        assertEquals(new Source("t.conf", 1, 11), m.get(0).source());
        assertEquals(new Source("t.conf", 2, 16), m.get(1).source());
        assertEquals(new Source("t.conf", 3, 19), m.get(2).source());
        assertEquals(List.of("x"), j.processes().get(Phase.MAIN).exec());
    }

    @Test
    void startOnContinuedWithBackslashes() {
        Job j = job("start on block-device-added \\\n    DEVTYPE=partition \\\n    ID=4fbd\nstop on runlevel [!2345]\n");
        EventExpr.Match m = (EventExpr.Match) j.startOn();
        assertEquals("block-device-added", m.event());
        assertEquals(List.of(EventArg.equal("DEVTYPE", "partition"), EventArg.equal("ID", "4fbd")), m.args());
        assertEquals("runlevel [!2345]", j.stopOn().text());
    }

    @Test
    void scriptBodiesAreKeptVerbatimUpToEndScript() {
        Job j = job("""
                pre-start script
                    if [ -x /x ]; then
                \techo "end script is not the end here"
                    fi
                end script
                script
                echo unindented
                exec true
                  end   script   # closing comment
                post-stop script
                end script
                task
                """);
        assertEquals("    if [ -x /x ]; then\n\techo \"end script is not the end here\"\n    fi\n",
                j.processes().get(Phase.PRE_START).script());
        assertEquals("echo unindented\nexec true\n", j.processes().get(Phase.MAIN).script());
        assertEquals("", j.processes().get(Phase.POST_STOP).script());
        assertTrue(j.task());
    }

    @Test
    void endScriptFollowedByMoreTextDoesNotEndTheBlock() {
        Job j = job("script\n  end scripts\n  end script now\nend script\n");
        assertEquals("  end scripts\n  end script now\n", j.processes().get(Phase.MAIN).script());
    }

    @Test
    void execAndScriptReplaceEachOtherAndTheLastWins() {
        assertEquals(List.of("b"), job("script\n  a\nend script\nexec b\n").processes().get(Phase.MAIN).exec());
        Process p = job("exec b\nscript\n  a\nend script\n").processes().get(Phase.MAIN);
        assertTrue(p.isScript());
        assertEquals("  a\n", p.script());
        assertEquals(List.of("c"), job("pre-start exec b\npre-start exec c\n").processes().get(Phase.PRE_START).exec());
    }

    @Test
    void theLastStartOnWins() {
        Job j = job("start on wibble\nstart on wobble and wiggle\nstop on a\nstop on b\n");
        assertEquals("wobble and wiggle", j.startOn().text());
        assertEquals("b", j.stopOn().text());
    }

    @Test
    void manualForgetsAnEarlierStartOnOnly() {
        Job before = job("start on wibble\nmanual\n");
        assertNull(before.startOn());
        assertTrue(before.manual());
        Job after = job("manual\nstart on wibble\n");
        assertEquals("wibble", after.startOn().text());
        assertFalse(after.manual());
    }

    @Test
    void normalExitAccumulatesAndAnOutOfRangeStatusIsReported() {
        ReadResult r = UpstartReader.read("t.conf", "t", "normal exit 99 100\nnormal exit 101 QUIT 900\n", null, null);
        assertEquals(List.of(ExitStatus.code(99), ExitStatus.code(100), ExitStatus.code(101), ExitStatus.signal(Signal.parse("QUIT"))),
                r.jobs().get(0).normalExit());
        assertEquals(1, r.diagnostics().size());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals(Code.INVALID_VALUE, d.code());
        assertEquals(new Source("t.conf", 2, 22), d.source());
    }

    @Test
    void envExportAndEmitsAccumulate() {
        Job j = job("env A=1\nexport A\nemits x\nenv A=2\nexport B C\nemits y\n");
        assertEquals(List.of("1", "2"), j.env().stream().map(EnvVar::value).toList());
        assertEquals("2", j.envMap().get("A"));
        assertEquals(List.of("A", "B", "C"), j.export().stream().map(Named::name).toList());
        assertEquals(List.of("x", "y"), j.emits().stream().map(Named::name).toList());
    }

    @Test
    void respawnLimitAloneDoesNotTurnRespawnOn() {
        Job j = job("respawn limit 5 30\n");
        assertFalse(j.respawn().enabled());
        assertEquals(5, j.respawn().limit());
        assertEquals(Duration.ofSeconds(30), j.respawn().interval());
        assertEquals(new Source("t.conf", 1, 1), j.respawn().source());
        Job on = job("respawn limit 5 30\nrespawn\n");
        assertTrue(on.respawn().enabled());
        assertEquals(5, on.respawn().limit());
        assertEquals(new Source("t.conf", 2, 1), on.respawn().source());
    }

    @Test
    void respawnLimitUnlimitedAndZero() {
        assertTrue(job("respawn\nrespawn limit unlimited\n").respawn().unlimited());
        assertTrue(job("respawn\nrespawn limit 0 5\n").respawn().unlimited());
        assertTrue(job("respawn\nrespawn limit 5 0\n").respawn().unlimited());
        assertFalse(job("respawn\n").respawn().unlimited());
    }

    @Test
    void aBadRespawnLimitKeepsTheDefaults() {
        ReadResult r = UpstartReader.read("t.conf", "t", "respawn\nrespawn limit x 5\n", null, null);
        assertEquals(10, r.jobs().get(0).respawn().limit());
        assertEquals(Code.INVALID_VALUE, r.diagnostics().get(0).code());
    }

    @Test
    void killAndReloadSignalsByNameOrNumber() {
        assertEquals(Signal.TERM, job("kill signal TERM").kill().signal());
        assertEquals(Signal.TERM, job("kill signal SIGTERM").kill().signal());
        assertEquals(Signal.KILL, job("kill signal 9").kill().signal());
        assertEquals(Signal.parse("PWR"), job("kill signal SIGPWR").kill().signal());
        assertEquals(Signal.parse("USR1"), job("reload signal 10").kill().reload());
        assertEquals(0, job("reload signal 0").kill().reload().number());
        assertEquals(Signal.HUP, job("kill signal INT").kill().reload());
        assertEquals(Duration.ZERO, job("kill timeout 0").kill().timeout());
    }

    @Test
    void expectAndConsole() {
        assertInstanceOf(Readiness.Stop.class, job("expect stop").ready());
        assertInstanceOf(Readiness.Fork.class, job("expect fork").ready());
        assertInstanceOf(Readiness.Daemon.class, job("expect daemon").ready());
        assertInstanceOf(Readiness.None.class, job("expect fork\nexpect none").ready());
        assertEquals(Console.NONE, job("console none").console());
        assertEquals(Console.LOG, job("console output\nconsole log").console());
        assertEquals(Console.OWNER, job("console owner").console());
    }

    @Test
    void oomScoresAndTheOldScale() {
        assertEquals(-1000, job("oom score never").resources().oomScore());
        assertEquals(-1000, job("oom never").resources().oomScore());
        assertEquals(-1000, job("oom -17").resources().oomScore());
        assertEquals(-941, job("oom -16").resources().oomScore());
        assertEquals(1000, job("oom 15").resources().oomScore());
        assertEquals(0, job("oom 0").resources().oomScore());
        assertEquals(-900, job("oom score -900").resources().oomScore());
    }

    @Test
    void theLastLimitForAResourceWins() {
        Job j = job("limit nofile 10 20\nlimit nproc 1 2\nlimit nofile 30 unlimited\n");
        assertEquals(List.of("nofile", "nproc"), j.resources().limits().stream().map(Limit::resource).toList());
        assertEquals(30L, j.resources().limits().get(0).soft());
        assertNull(j.resources().limits().get(0).hard());
    }

    @Test
    void valuesAreDequoted() {
        Job j = job("setuid \"$USER\"\nenv HOME=/home/$USER\nenv 'MSG=hello world'\n");
        assertEquals("$USER", j.resources().user());
        assertEquals("hello world", j.envMap().get("MSG"));
        assertEquals("/home/$USER", j.envMap().get("HOME"));
    }

    @Test
    void overrideStanzasApplyAfterTheConf() {
        List<Diagnostic> ds = new java.util.ArrayList<>();
        Job j = withOverride("start on startup\nenv A=1\nexec /bin/a\n", "manual\nenv B=2\nexec /bin/b\n", ds);
        assertEquals(List.of(), ds);
        assertNull(j.startOn());
        assertTrue(j.manual());
        assertEquals(List.of("A", "B"), j.env().stream().map(EnvVar::key).toList());
        assertEquals(new Source("t.override", 2, 1), j.env().get(1).source());
        assertEquals(List.of("/bin/b"), j.processes().get(Phase.MAIN).exec());
        assertEquals(new Source("t.conf", 1, 1), j.source());
    }

    @Test
    void anOverrideWithAnErrorIsIgnoredEntirely() {
        List<Diagnostic> ds = new java.util.ArrayList<>();
        Job j = withOverride("start on startup\nexec /bin/a\n", "manual\nexec /bin/b\nnice 99\n", ds);
        assertEquals("startup", j.startOn().text());
        assertEquals(List.of("/bin/a"), j.processes().get(Phase.MAIN).exec());
        assertEquals(1, ds.size());
        assertEquals(new Source("t.override", 3, 6), ds.get(0).source());
        assertTrue(ds.get(0).hint().endsWith("because of this error Upstart ignores the whole .override"), ds.get(0).hint());
    }

    @Test
    void anOverrideWithOnlyAWarningStillApplies() {
        List<Diagnostic> ds = new java.util.ArrayList<>();
        Job j = withOverride("start on startup\n", "start on a or b and c\n", ds);
        assertEquals("(a or b) and c", j.startOn().text());
        assertEquals(List.of(Code.MIXED_AND_OR), ds.stream().map(Diagnostic::code).toList());
    }

    @Test
    void aBrokenStartOnLeavesNoStartCondition() {
        ReadResult r = UpstartReader.read("t.conf", "t", "start on startup\nstart on foo or\n", null, null);
        assertNull(r.jobs().get(0).startOn());
        assertTrue(r.jobs().get(0).manual());
    }

    @Test
    void sameInputSameOutput() {
        String text = "start on a or b and c\nnice 50\nexec x\nfrob\n";
        assertEquals(UpstartReader.read("t.conf", "t", text, null, null), UpstartReader.read("t.conf", "t", text, null, null));
    }

    @Test
    void aJobNeedsANameEvenWhenNoneIsGiven() {
        assertEquals("svc", UpstartReader.read("dir/svc.conf", null, "", null, null).jobs().get(0).name());
        assertEquals("job", UpstartReader.read(".conf", "", null, null, null).jobs().get(0).name());
    }
}
