package dev.ordo.planner.config.systemd;

import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.job;
import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.read;
import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.ServiceSockets;
import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket unit's {@code Listen…=} lines and [Socket] keys as systemd 252 reads them (load-fragment.c
 * config_parse_socket_listen, socket-netlink.c socket_address_parse, socket.c socket_verify), and what a service
 * takes from sockets ({@code Sockets=}, {@code StandardInput=socket}).
 */
class SocketDirectivesTest {

    @TempDir
    Path tmp;

    private static final Source AT = new Source("t", 1, 1);

    private static SocketPort port(SocketPort.ListenKind kind, String value) throws Exception {
        return ListenAddresses.parse(kind, value, AT);
    }

    private static String invalid(SocketPort.ListenKind kind, String value) {
        try {
            ListenAddresses.parse(kind, value, AT);
        } catch (ListenAddresses.Invalid e) {
            return e.getMessage();
        } catch (ListenAddresses.NotOpened e) {
            return "not opened: " + e.getMessage();
        }
        throw new AssertionError(value + " was taken");
    }

    @Test
    void theAddressFormsOfSystemdSocket5() throws Exception {
        SocketPort.ListenKind s = SocketPort.ListenKind.STREAM;
        assertEquals(new SocketPort(s, SocketPort.Family.PATH, "/run/dbus/system_bus_socket", null, 0, null, AT),
                port(s, "/run/dbus/system_bus_socket"));
        assertEquals(new SocketPort(s, SocketPort.Family.ABSTRACT, "ordo/x", null, 0, null, AT), port(s, "@ordo/x"));
        assertEquals(new SocketPort(s, SocketPort.Family.ANY, null, null, 22, null, AT), port(s, "22"));
        assertEquals(new SocketPort(s, SocketPort.Family.IPV4, null, "127.0.0.1", 8080, null, AT), port(s, "127.0.0.1:8080"));
        assertEquals(new SocketPort(s, SocketPort.Family.IPV6, null, "::1", 53, null, AT), port(s, "[::1]:53"));
        assertEquals(new SocketPort(s, SocketPort.Family.IPV6, null, "fe80::1", 53, "eth0", AT), port(s, "[fe80::1]:53%eth0"));
        assertEquals("[fe80::1]:53%eth0", port(s, "[fe80::1]:53%eth0").text());
        assertEquals(new SocketPort(SocketPort.ListenKind.DATAGRAM, SocketPort.Family.IPV4, null, "0.0.0.0", 111, null, AT),
                port(SocketPort.ListenKind.DATAGRAM, "0.0.0.0:111"));
        // patch_var_run: the legacy directory is read as /run, for AF_UNIX paths and FIFOs.
        assertEquals("/run/foo.sock", port(s, "/var/run/foo.sock").path());
        assertEquals("/run/initctl", port(SocketPort.ListenKind.FIFO, "/var/run//./initctl").path());
    }

    @Test
    void whatSystemdRejects() {
        SocketPort.ListenKind s = SocketPort.ListenKind.STREAM;
        assertEquals("ListenStream= `70000`: port 70000 is out of range (1 to 65535); systemd ignores the line", invalid(s, "70000"));
        assertEquals("ListenStream= `0`: port 0 is out of range (1 to 65535); systemd ignores the line", invalid(s, "0"));
        for (String bad : List.of("localhost:80", "127.0.0.1", "::1", "1.2.3.256:80", "[::1]80", "[zz::1]:80", "[::1]:",
                "01.2.3.4:80", "1.2.3.4:80%eth0", "1.2.3.4:80#name", "[::1]:80%a/b", "")) {
            assertTrue(invalid(s, bad).endsWith("is not an address systemd can listen on; systemd ignores the line"), bad);
        }
        assertTrue(invalid(s, "/" + "x".repeat(107)).contains("longer than 107 bytes"));
        assertEquals(SocketPort.Family.ABSTRACT, assertDoesNotThrow(() -> port(s, "@" + "x".repeat(107))).family());
        assertTrue(invalid(s, "@").contains("nothing follows"));
        assertEquals("ListenSequentialPacket= `127.0.0.1:80`: sequential packet sockets are AF_UNIX only; systemd ignores the line",
                invalid(SocketPort.ListenKind.SEQUENTIAL_PACKET, "127.0.0.1:80"));
        assertEquals("ListenFIFO= `run/initctl` is not an absolute path; systemd ignores the line",
                invalid(SocketPort.ListenKind.FIFO, "run/initctl"));
        assertTrue(invalid(SocketPort.ListenKind.FIFO, "/run/../x").contains("not normalized"));
        assertTrue(invalid(s, "vsock:2:1234").startsWith("not opened: ListenStream= `vsock:2:1234` (AF_VSOCK) is not applied"));
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private SystemdReader.TreeRead units(String... nameAndText) throws IOException {
        for (int i = 0; i < nameAndText.length; i += 2) write(tmp, "sys/" + nameAndText[i], nameAndText[i + 1]);
        return read(tmp.resolve("sys"));
    }

    @Test
    void aSocketUnitsSetupWithSystemdsDefaults() throws IOException {
        SystemdReader.TreeRead r = units("dbus.socket", "[Socket]\nListenStream=/run/dbus/system_bus_socket\n",
                "dbus.service", "[Service]\nExecStart=/usr/bin/dbus-daemon --system --address=systemd:\n");
        assertEquals(List.of(), r.read().diagnostics());
        SocketSetup s = job(r, "dbus.socket").unit().socket();
        assertEquals(List.of("ListenStream=/run/dbus/system_bus_socket"), s.ports().stream().map(SocketPort::line).toList());
        assertEquals("sys/dbus.socket:2", s.ports().get(0).source().file() + ":" + s.ports().get(0).source().line());
        assertFalse(s.accept());
        assertEquals("dbus.service", s.service());
        assertEquals(0666, s.socketMode());
        assertEquals(0755, s.directoryMode());
        assertEquals(Integer.MAX_VALUE, s.backlog());
        assertEquals(64, s.maxConnections());
        assertEquals(Duration.ofSeconds(2), s.triggerInterval());
        assertEquals(20, s.triggerBurst());
        assertEquals("dbus.socket", s.fdName("dbus.socket"));
        assertNull(job(r, "dbus.service").unit().socket());
        assertEquals(ServiceSockets.NONE, job(r, "dbus.service").unit().serviceSockets());
        assertTrue(job(r, "dbus.socket").unit().settings().isEmpty(), "every key is read, none kept as written");
    }

    @Test
    void theKeysAppliedAndAnEmptyListenResetsEveryPort() throws IOException {
        SystemdReader.TreeRead r = units("a.socket", "[Socket]\nListenStream=/x\nListenDatagram=\nListenStream=127.0.0.1:9\n"
                + "ListenFIFO=/run/a.fifo\nService=b.service\nSocketUser=nobody\nSocketGroup=nogroup\nSocketMode=0600\n"
                + "DirectoryMode=0700\nBacklog=16\nReusePort=yes\nFreeBind=true\nRemoveOnStop=yes\nBindIPv6Only=ipv6-only\n"
                + "FileDescriptorName=varlink\nTriggerLimitIntervalSec=5s\nTriggerLimitBurst=3\n",
                "b.service", "[Service]\nExecStart=/bin/b\n");
        assertEquals(List.of(), r.read().diagnostics());
        SocketSetup s = job(r, "a.socket").unit().socket();
        assertEquals(List.of("ListenStream=127.0.0.1:9", "ListenFIFO=/run/a.fifo"), s.ports().stream().map(SocketPort::line).toList());
        assertEquals("b.service", s.service());
        assertEquals(new SocketSetup(s.ports(), false, "b.service", "nobody", "nogroup", 0600, 0700, 16, true, true, true,
                true, List.of(), "varlink", 64, Duration.ofSeconds(5), 3), s);
        assertTrue(job(r, "a.socket").relations().stream().anyMatch(x -> x.kind() == RelationKind.TRIGGERS
                && x.target().equals("b.service")));
    }

    @Test
    void badValuesAreReportedWhereTheyAre() throws IOException {
        SystemdReader.TreeRead r = units("a.socket", "[Socket]\nListenStream=/run/a.sock\nListenStream=host:80\n"
                + "SocketMode=0999\nFileDescriptorName=a:b\nService=b.target\nBacklog=-1\n", "a.service", "[Service]\nExecStart=/a\n");
        List<Diagnostic> ds = r.read().diagnostics();
        assertEquals(List.of("sys/a.socket:3:14 ListenStream= `host:80` is not an address systemd can listen on; systemd ignores the line",
                "sys/a.socket:4:12 SocketMode= `0999` is not an octal mode such as 0660; systemd ignores it",
                "sys/a.socket:5:20 FileDescriptorName= `a:b` is not a descriptor name; systemd ignores it",
                "sys/a.socket:6:9 Service= `b.target` is not a .service unit; systemd ignores it",
                "sys/a.socket:7:9 Backlog= `-1` is not a whole number from 0 to 4294967295; systemd ignores it"),
                ds.stream().map(d -> d.source().file() + ":" + d.source().line() + ":" + d.source().column() + " " + d.message()).toList());
        assertTrue(ds.stream().allMatch(d -> d.code() == Code.UNIT_INVALID_VALUE));
        assertEquals(List.of("ListenStream=/run/a.sock"), job(r, "a.socket").unit().socket().ports().stream().map(SocketPort::line).toList());
    }

    @Test
    void whatSocketVerifyRefuses() throws IOException {
        SystemdReader.TreeRead r = units("none.socket", "[Socket]\nAccept=no\n", "none.service", "[Service]\nExecStart=/a\n",
                "dg.socket", "[Socket]\nListenDatagram=/run/dg\nAccept=yes\n", "dg@.service", "[Service]\nExecStart=/a\n",
                "two.socket", "[Socket]\nListenStream=/run/a\nListenFIFO=/run/b\nSymlinks=/dev/two\n", "two.service",
                "[Service]\nExecStart=/a\n");
        assertNull(job(r, "none.socket").unit().socket());
        assertNull(job(r, "dg.socket").unit().socket());
        assertNull(job(r, "two.socket").unit().socket());
        assertEquals(List.of("sys/dg.socket:3 Accept=yes, but not every socket takes connections (datagram sockets and FIFOs do not); "
                        + "systemd refuses to load the unit",
                "sys/none.socket:1 the socket has no Listen…= line (ListenStream=, ListenDatagram=, ListenFIFO=, ...); "
                        + "systemd refuses to load the unit",
                "sys/two.socket:4 Symlinks= needs exactly one socket or FIFO in the file system, and it has 2; systemd refuses to load the unit"),
                r.read().diagnostics().stream().map(d -> d.source().file() + ":" + d.source().line() + " " + d.message()).toList());
    }

    @Test
    void netlinkIsAPortForSystemdThatOrdoDoesNotOpen() throws IOException {
        SystemdReader.TreeRead r = units("n.socket", "[Socket]\nListenNetlink=route 1361\n", "n.service", "[Service]\nExecStart=/a\n");
        SocketSetup s = job(r, "n.socket").unit().socket();
        assertTrue(s.ports().isEmpty());
        assertEquals(List.of(Code.UNIT_DIRECTIVE_NOT_APPLIED), r.read().diagnostics().stream().map(Diagnostic::code).toList());
    }

    @Test
    void acceptYesReadsTheTemplateAsAJobOfItsOwn() throws IOException {
        SystemdReader.TreeRead r = units("ssh.socket", "[Unit]\nBefore=sockets.target\n[Socket]\nListenStream=22\nAccept=yes\n",
                "ssh@.service", "[Unit]\nAfter=auditd.service\n[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n");
        assertEquals(List.of(), r.read().diagnostics());
        SocketSetup s = job(r, "ssh.socket").unit().socket();
        assertTrue(s.accept());
        assertEquals("ssh@.service", s.service());
        assertEquals(200, s.triggerBurst());
        Job t = job(r, "ssh@.service");
        assertEquals(new ServiceSockets(List.of(), true, true, true), t.unit().serviceSockets());
        assertTrue(job(r, "ssh.socket").relations().stream().noneMatch(x -> x.kind() == RelationKind.TRIGGERS));
    }

    @Test
    void aTemplateThatNeedsItsInstanceNameTakesNoConnection() throws IOException {
        SystemdReader.TreeRead r = units("e.socket", "[Socket]\nListenStream=/run/e\nAccept=yes\n",
                "e@.service", "[Service]\nExecStart=/bin/echo %i\n");
        assertTrue(r.read().jobs().stream().noneMatch(j -> j.name().equals("e@.service")));
        assertEquals(List.of("Accept= is not applied by ordo run: e@.service uses its instance name (%i, %n, ...), which ordo run "
                + "cannot give it before a connection comes; no connection is taken"),
                r.read().diagnostics().stream().map(Diagnostic::message).toList());
    }

    @Test
    void whatAServiceTakesFromSockets() throws IOException {
        SystemdReader.TreeRead r = units("a.service", "[Service]\nExecStart=/a\nSockets=x.socket y.socket\nStandardInput=socket\n"
                + "StandardOutput=journal\n", "x.socket", "[Socket]\nListenStream=/run/x\n", "y.socket", "[Socket]\nListenStream=/run/y\n");
        assertEquals(new ServiceSockets(List.of("x.socket", "y.socket"), true, false, false), job(r, "a.service").unit().serviceSockets());
    }
}
