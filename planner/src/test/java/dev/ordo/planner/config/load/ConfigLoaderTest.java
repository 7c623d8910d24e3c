package dev.ordo.planner.config.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.diag.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file goes to which reader, mixed input, duplicates, and what cannot be read. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static List<Diagnostic> codes(Config c, Code code) {
        return c.diagnostics().stream().filter(d -> d.code() == code).toList();
    }

    @Test
    void mixesAllThreeFormatsInOneRun() throws IOException {
        write("ordo.yaml", "jobs:\n  web:\n    exec: sleep 1\n");
        write("init/dbus.conf", "start on startup\nexec sleep 1\n");
        write("units/db.service", "[Service]\nExecStart=/bin/sleep 1\n");
        Config c = ConfigLoader.load(List.of(dir), null);
        assertEquals(List.of("db.service", "init/dbus", "web"), c.jobs().stream().map(j -> j.name()).toList());
        assertEquals(Format.SYSTEMD, c.job("db.service").format());
        assertEquals(Format.UPSTART, c.job("init/dbus").format());
        assertEquals(Format.YAML, c.job("web").format());
    }

    @Test
    void upstartJobsAreNamedRelativeToTheDirectoryGiven() throws IOException {
        write("net/apache.conf", "exec sleep 1\n");
        Config nested = ConfigLoader.load(List.of(dir), null);
        assertEquals(List.of("net/apache"), nested.jobs().stream().map(j -> j.name()).toList());
        Config direct = ConfigLoader.load(List.of(dir.resolve("net")), null);
        assertEquals(List.of("apache"), direct.jobs().stream().map(j -> j.name()).toList());
    }

    @Test
    void aJobDefinedTwiceNamesBothPlaces() throws IOException {
        Path yaml = write("a/ordo.yaml", "jobs:\n  dbus:\n    exec: sleep 1\n");
        Path conf = write("b/dbus.conf", "exec sleep 1\n");
        Config c = ConfigLoader.load(List.of(conf, yaml), null);
        List<Diagnostic> dup = codes(c, Code.DUPLICATE_JOB);
        assertEquals(1, dup.size(), c.diagnostics()::toString);
        assertEquals(1, c.jobs().size());
        Diagnostic d = dup.get(0);
        // The first place (by file name, not argument order) is kept; the other is reported.
        assertEquals(new Source(conf.toString(), 1, 1), d.source());
        assertEquals("job `dbus` is defined twice; first at " + yaml + ":2:3", d.message());
    }

    @Test
    void twoDirectoriesWithAJobOfTheSameNameAreADuplicateNotOneJob() throws IOException {
        write("one/cloud-init.conf", "start on startup\nexec a\n");
        Path second = write("two/cloud-init.conf", "start on startup\nexec b\n");
        Config c = ConfigLoader.load(List.of(dir.resolve("one"), dir.resolve("two")), null);
        assertEquals(2, c.files().size());
        assertEquals(1, c.jobs().size());
        List<Diagnostic> dup = codes(c, Code.DUPLICATE_JOB);
        assertEquals(1, dup.size(), c.diagnostics()::toString);
        assertEquals(new Source(second.toString(), 1, 1), dup.get(0).source());
    }

    @Test
    void aDanglingLinkInADirectoryIsReportedNotThrown() throws IOException {
        Files.createSymbolicLink(dir.resolve("gone.yaml"), dir.resolve("missing.yaml"));
        Config c = ConfigLoader.load(List.of(dir), null);
        List<Diagnostic> ds = codes(c, Code.UNREADABLE);
        assertEquals(1, ds.size(), c.diagnostics()::toString);
        assertEquals(Source.file(dir.resolve("gone.yaml").toString()), ds.get(0).source());
        assertTrue(ds.get(0).message().startsWith("cannot read file: "), ds.get(0).message());
    }

    @Test
    void anUnknownFileNamedExplicitlyIsReportedAndOneInADirectoryIsNot() throws IOException {
        Path txt = write("notes.txt", "hello\n");
        Config c = ConfigLoader.load(List.of(txt), null);
        assertEquals(1, codes(c, Code.IGNORED_FILE).size());
        assertEquals(0, codes(ConfigLoader.load(List.of(dir), null), Code.IGNORED_FILE).size());
    }

    @Test
    void anOverrideWithoutItsJobIsIgnoredWithAWarning() throws IOException {
        write("ssh.override", "manual\n");
        Config c = ConfigLoader.load(List.of(dir), null);
        assertEquals(0, c.jobs().size());
        List<Diagnostic> ds = codes(c, Code.OVERRIDE_WITHOUT_JOB);
        assertEquals(1, ds.size());
        assertEquals("override for job `ssh` without its .conf; Upstart ignores it", ds.get(0).message());
    }

    @Test
    void hiddenFilesAreSkipped() throws IOException {
        write(".git/x.yaml", "not: [valid\n");
        write("ok.yaml", "jobs:\n  a:\n    exec: sleep 1\n");
        Config c = ConfigLoader.load(List.of(dir), null);
        assertEquals(List.of(), c.diagnostics());
        assertEquals(1, c.jobs().size());
    }

    @Test
    void aMissingPathIsADiagnostic() {
        Config c = ConfigLoader.load(List.of(dir.resolve("nope")), null);
        assertEquals(1, codes(c, Code.UNREADABLE).size());
    }

    /** A directory of jobs often holds other software's *.conf: those are not Upstart jobs, and not errors. */
    @Test
    void aConfFileThatIsNoUpstartJobIsLeftOutOfADirectoryScan(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pg_hba.conf"), "# TYPE  DATABASE  USER  ADDRESS  METHOD\nlocal all postgres peer\n");
        Files.writeString(dir.resolve("nginx.conf"), "user www-data;\nworker_processes auto;\n");
        Files.writeString(dir.resolve("web.conf"), "# a job\n\n  start on startup\nexec /usr/bin/web\n");
        Files.writeString(dir.resolve("abstract.conf"), "# only comments: an abstract job, as Upstart reads it\n");
        Config c = ConfigLoader.load(List.of(dir), null);
        assertEquals(List.of("abstract", "web"), c.jobs().stream().map(j -> j.name()).sorted().toList());
        assertEquals(List.of(), c.diagnostics());
        // Named on its own, a file is read as what its name says, and its mistakes are reported.
        Config named = ConfigLoader.load(List.of(dir.resolve("nginx.conf")), null);
        assertEquals(1, named.jobs().size());
        assertTrue(named.diagnostics().stream().anyMatch(d -> d.code() == Code.UNKNOWN_KEY || d.isError()),
                named.diagnostics()::toString);
    }
}
