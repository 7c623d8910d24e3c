package dev.ordo.planner.config.upstart;

import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.Text;

import dev.ordo.planner.config.upstart.UpstartReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 170 real job files of {@code shared/corpus/upstart}: all load, and the edge cases SOURCES.md lists read right. */
class UpstartCorpusTest {

    static final Path CORPUS = SharedCorpus.SHARED.resolve("corpus/upstart");

    static final Map<String, String> TEXT = new TreeMap<>();
    static final Map<String, ReadResult> READ = new TreeMap<>();

    @BeforeAll
    static void readAll() throws IOException {
        SharedCorpus.upstart();
        try (Stream<Path> s = Files.walk(CORPUS)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".conf")).sorted().toList()) {
                String rel = CORPUS.relativize(p).toString();
                String text = Text.read(p);
                TEXT.put(rel, text);
                READ.put(rel, UpstartReader.read(rel, rel.replaceAll("\\.conf$", ""), text, null, null));
            }
        }
    }

    static Job job(String file) {
        ReadResult r = READ.get(file);
        assertNotNull(r, file);
        return r.jobs().get(0);
    }

    static Job clean(String file) {
        assertEquals(List.of(), READ.get(file).diagnostics(), file);
        return job(file);
    }

    @Test
    void everyFileLoadsIntoOneNamedJob() {
        assertEquals(170, READ.size());
        READ.forEach((file, r) -> {
            assertEquals(1, r.jobs().size(), file);
            assertEquals(file.replaceAll("\\.conf$", ""), r.jobs().get(0).name());
            assertEquals(new Source(file, 1, 1), r.jobs().get(0).source());
        });
    }

    /** Every diagnostic over the whole corpus; a change in behaviour shows up here first. */
    @Test
    void theCorpusGivesExactlyTheseDiagnostics() {
        List<String> all = new ArrayList<>();
        READ.values().forEach(r -> r.diagnostics().forEach(d -> all.add(d.source() + " " + d.code().id() + " " + d.code())));
        assertEquals(List.of(
                "cameronnemo-upstart-jobs/elasticsearch.conf:14:14 ORD005 INVALID_VALUE",
                "cameronnemo-upstart-jobs/elasticsearch.conf:16:13 ORD005 INVALID_VALUE",
                "cameronnemo-upstart-jobs/elasticsearch.conf:18:10 ORD005 INVALID_VALUE",
                "cameronnemo-upstart-jobs/elasticsearch.conf:20:13 ORD005 INVALID_VALUE",
                "cameronnemo-upstart-jobs/grafana.conf:9:14 ORD005 INVALID_VALUE"), all);
        Map<Code, Integer> byCode = new TreeMap<>();
        READ.values().forEach(r -> r.diagnostics().forEach(d -> byCode.merge(d.code(), 1, Integer::sum)));
        assertEquals(Map.of(Code.INVALID_VALUE, 5), byCode);
    }

    @Test
    void oneValueLimitsAreTheOnlyFindingsAndSayHowToFixThem() {
        Diagnostic g = READ.get("cameronnemo-upstart-jobs/grafana.conf").diagnostics().get(0);
        assertEquals("`limit nofile 10000` gives one value; Upstart needs both a soft and a hard limit and rejects the job",
                g.message());
        assertEquals("write `limit nofile 10000 10000`", g.hint());
        List<String> es = READ.get("cameronnemo-upstart-jobs/elasticsearch.conf").diagnostics().stream()
                .map(Diagnostic::message).toList();
        assertTrue(es.get(2).startsWith("`limit as unlimited` gives one value"), es.get(2));
        // The rest of those files is still read.
        Job grafana = job("cameronnemo-upstart-jobs/grafana.conf");
        assertEquals(List.of(), grafana.resources().limits());
        assertEquals("grafana", grafana.resources().user());
        assertEquals(027, grafana.resources().umask());
        assertEquals(Duration.ofSeconds(20), grafana.kill().timeout());
        assertTrue(grafana.respawn().enabled());
        // A continued exec, trailing spaces and all, is one command line.
        assertEquals(List.of("/usr/sbin/grafana-server --config=${CONF_FILE} --pidfile=/run/grafana-server.pid"
                        + " cfg:default.paths.logs=${LOG_DIR} cfg:default.paths.data=${DATA_DIR}"
                        + " cfg:default.paths.plugins=${PLUGINS_DIR} cfg:default.paths.provisioning=${PROVISIONING_CFG_DIR}"),
                grafana.processes().get(Phase.MAIN).exec());
    }

    @Test
    void noFinalNewline() {
        Job j = clean("lxc-android-config/ssh-keygen.conf");
        assertEquals(List.of("/usr/bin/ssh-keygen.sh"), j.processes().get(Phase.MAIN).exec());
        assertTrue(j.task());
    }

    @Test
    void commentOnlyFile() {
        Job j = clean("lxc-android-config/device-hacks.conf");
        assertTrue(j.isAbstract());
        assertTrue(j.manual());
        assertTrue(j.processes().isEmpty());
    }

    @Test
    void jobsWithoutStartOnAreManual() {
        for (String f : List.of("lxc/lxc-instance.conf", "cameronnemo-upstart-jobs/getty.conf",
                "ubuntu-upstart/debian-wait-for-state.conf", "lxc-android-config/device-hacks.conf")) {
            Job j = clean(f);
            assertNull(j.startOn(), f);
            assertTrue(j.manual(), f);
        }
        assertEquals("$NAME", job("lxc/lxc-instance.conf").instance().text());
    }

    @Test
    void manualCountsOnlyBeforeALaterStartOn() {
        // uhub writes `manual` above its `start on`, so the start on still applies (U§3.1).
        assertEquals("filesystem and static-network-up", clean("cameronnemo-upstart-jobs/uhub.conf").startOn().text());
        Job dhclient = clean("cameronnemo-upstart-jobs/dhclient.conf");
        assertNull(dhclient.startOn());
        assertEquals("net-device-removed INTERFACE=$INTERFACE", dhclient.stopOn().text());
        assertEquals("$INTERFACE", dhclient.instance().text());
        assertEquals("", dhclient.envMap().get("INTERFACE"));
    }

    @Test
    void deprecatedOomIsScaled() {
        assertEquals(-941, clean("gce/google-accounts-daemon.conf").resources().oomScore());
        assertEquals(-1000, clean("lxcfs/lxcfs.conf").resources().oomScore());
        assertEquals(50, clean("unity8/unity8-dash.conf").resources().oomScore());
    }

    @Test
    void reloadSignalZeroIsAccepted() {
        assertEquals(0, clean("cameronnemo-upstart-jobs/couchdb.conf").kill().reload().number());
        assertEquals(0, clean("cameronnemo-upstart-jobs/brltty.conf").kill().reload().number());
    }

    @Test
    void backslashContinuedStartOn() {
        for (String f : List.of("ceph/ceph-hotplug.conf", "ceph/ceph-osd-activate.conf")) {
            EventExpr.Match m = assertInstanceOf(EventExpr.Match.class, clean(f).startOn(), f);
            assertEquals("block-device-added", m.event());
            assertEquals(List.of(EventArg.equal("DEVTYPE", "partition"),
                    EventArg.equal("ID_PART_ENTRY_TYPE", "4fbd7e29-9d25-41b8-afd0-062c0ceff05d")), m.args());
        }
        assertEquals(new Source("ceph/ceph-hotplug.conf", 3, 10), clean("ceph/ceph-hotplug.conf").startOn().matches().get(0).source());
        assertEquals("runlevel [!2345]", clean("ceph/ceph-hotplug.conf").stopOn().text());
    }

    @Test
    void nestedParenthesesOverSeveralLinesWithTrailingSpace() {
        Job j = clean("gce/google-accounts-manager-service.conf");
        EventExpr.All all = assertInstanceOf(EventExpr.All.class, j.startOn());
        EventExpr.Match first = assertInstanceOf(EventExpr.Match.class, all.left());
        assertEquals("stopped", first.event());
        assertEquals("google-accounts-manager-task", first.jobArgument());
        EventExpr.Any any = assertInstanceOf(EventExpr.Any.class, all.right());
        assertEquals("starting ssh", any.left().text());
        assertEquals("starting sshd", any.right().text());
        assertEquals(List.of(new Source("gce/google-accounts-manager-service.conf", 5, 11),
                new Source("gce/google-accounts-manager-service.conf", 6, 12),
                new Source("gce/google-accounts-manager-service.conf", 6, 28)),
                j.startOn().matches().stream().map(EventExpr.Match::source).toList());
        assertEquals("stopping ssh or stopping sshd", j.stopOn().text());
        assertTrue(j.respawn().enabled());
    }

    @Test
    void deeplyNestedAndTabIndentedConditions() {
        assertEquals("(filesystem and runlevel [!06] and (drm-device-added card0 PRIMARY_DEVICE_FOR_DISPLAY=1"
                        + " or stopped udev-fallback-graphics)) or runlevel PREVLEVEL=S",
                clean("cameronnemo-upstart-jobs/ltsp-client-core.conf").startOn().text());
        assertEquals("cloud-config and local-filesystems and net-device-ifup IFACE=eth0",
                clean("cloud-init-0.5/cloud-runurl.conf").startOn().text());
        assertEquals("(xsession SESSION=ubuntu-touch or xsession SESSION=unity8-mir) and started dbus",
                clean("unity8/unity8.conf").startOn().text());
    }

    @Test
    void variablesAndGlobsInEventArguments() {
        EventExpr.Match m = assertInstanceOf(EventExpr.Match.class, clean("lxc-android-config/ssh-property-watcher.conf").startOn());
        assertEquals(List.of(EventArg.equal("persist.service.ssh", "*")), m.args());
        EventExpr.Match t = assertInstanceOf(EventExpr.Match.class, clean("lxc-android-config/tethering.conf").startOn());
        assertEquals(List.of(EventArg.equal("persist.sys.usb.config", "*")), t.args());
        EventExpr.Match d = assertInstanceOf(EventExpr.Match.class, clean("docker/docker.conf").startOn().matches().get(1));
        assertEquals(List.of(EventArg.notEqual("IFACE", "lo")), d.args());
    }

    @Test
    void stanzasAfterScriptsAndExec() {
        Job wa = clean("walinuxagent/walinuxagent.conf");
        assertTrue(wa.respawn().enabled());
        assertTrue(wa.processes().get(Phase.PRE_START).isScript());
        assertTrue(wa.processes().get(Phase.PRE_START).script().startsWith("\n"), "the blank first line is kept");
        Job st = clean("syncthing/system-syncthing.conf");
        assertTrue(st.respawn().enabled());
        assertEquals("$USER", st.resources().user());
        Job dbus = clean("cameronnemo-upstart-jobs/dbus.conf");
        assertEquals(List.of("kill -USR1 1"), dbus.processes().get(Phase.POST_START).exec());
    }

    @Test
    void unindentedScriptBodies() {
        Job cg = clean("cgmanager/cgmanager.conf");
        assertEquals("\tinitctl notify-cgroup-manager-address \"unix:path=/sys/fs/cgroup/cgmanager/sock\" || true\n",
                cg.processes().get(Phase.POST_START).script());
        assertInstanceOf(Readiness.Stop.class, cg.ready());
    }

    @Test
    void assortedStanzasFromRealFiles() {
        Job lxc = clean("lxc/lxc-instance.conf");
        assertEquals(Signal.parse("PWR"), lxc.kill().signal());
        assertEquals(Duration.ofSeconds(120), lxc.kill().timeout());
        Job th = clean("thermald/thermald.conf");
        assertTrue(th.respawn().enabled());
        assertEquals(10, th.respawn().limit());
        assertEquals(Duration.ofSeconds(60), th.respawn().interval());
        assertEquals(1, th.normalExit().get(0).code());
        assertTrue(clean("unity8/unity8-dash.conf").respawn().unlimited());
        assertEquals(dev.ordo.planner.model.Console.OWNER, clean("ubuntu-upstart/rcS.conf").console());
        assertEquals("Run runurl", clean("cloud-init-0.5/cloud-runurl.conf").description());
        assertEquals("dhclient: acquire DHCP leases", clean("cameronnemo-upstart-jobs/dhclient.conf").description());
        assertTrue(clean("openssh/ssh-agent-2014.conf").isAbstract());
    }

    /** Cross-checks against the raw text, so a stanza silently dropped anywhere in the corpus is noticed. */
    @Test
    void whatTheTextSaysIsWhatTheJobHas() {
        Pattern respawn = Pattern.compile("(?m)^\\s*respawn\\s*$");
        Pattern startOn = Pattern.compile("(?m)^\\s*start on\\b");
        Pattern main = Pattern.compile("(?m)^\\s*(exec\\s|script\\s*$)");
        Pattern task = Pattern.compile("(?m)^\\s*task\\s*$");
        int starts = 0;
        for (Map.Entry<String, String> e : TEXT.entrySet()) {
            String f = e.getKey();
            String text = e.getValue();
            Job j = job(f);
            assertEquals(respawn.matcher(text).find(), j.respawn().enabled(), f);
            assertEquals(main.matcher(text).find(), !j.isAbstract(), f);
            assertEquals(task.matcher(text).find(), j.task(), f);
            if (startOn.matcher(text).find() && !f.endsWith("dhclient.conf")) {
                assertNotNull(j.startOn(), f);
                starts++;
            }
        }
        assertEquals(165, starts);
        assertFalse(job("ubuntu-upstart/rc.conf").isAbstract());
    }
}
