package dev.ordo.planner.config.systemd;


import dev.ordo.planner.config.systemd.SystemdReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken units: ordo reports every problem `systemd-analyze verify` reports about keys, sections and Type=. */
class SystemdAnalyzeTest {

    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path tmp;

    private static final String BROKEN_SERVICE = String.join("\n",
            "[Unit]",
            "Description=broken",
            "Wnats=network.target",
            "Documentation=man:true(1)",
            "[Service]",
            "Type=bogus",
            "ExecStart=/bin/true",
            "Restart=sometimes",
            "Descripton=misplaced",
            "X-Private=fine",
            "[Serivce]",
            "User=nobody",
            "[X-Mine]",
            "Anything=goes",
            "[Install]",
            "WantedBy=multi-user.target",
            "WantBy=typo.target",
            "");
    private static final String BROKEN_TARGET = String.join("\n",
            "[Unit]",
            "Description=t",
            "[Service]",
            "ExecStart=/bin/true",
            "[Target]",
            "Foo=1",
            "");
    private static final String BROKEN_SOCKET = String.join("\n",
            "[Socket]",
            "ListenStream=/run/ordo-test.sock",
            "Type=1",
            "[Unit]",
            "After=x.service",
            "Requires = y.service",
            "Conflict=z.service",
            "");

    private List<Path> writeUnits() throws IOException {
        Path dir = tmp.resolve("units");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        out.add(Files.writeString(dir.resolve("broken.service"), BROKEN_SERVICE));
        out.add(Files.writeString(dir.resolve("broken.target"), BROKEN_TARGET));
        out.add(Files.writeString(dir.resolve("broken.socket"), BROKEN_SOCKET));
        return out;
    }

    /** {@code file:line code} for each diagnostic ordo reports. */
    private Set<String> ordo(List<Path> units) {
        SystemdReader.TreeRead r = SystemdReader.read(List.of(), units, p -> p.getFileName().toString());
        Set<String> out = new TreeSet<>();
        for (Diagnostic d : r.read().diagnostics()) {
            // What ordo run does not apply is ordo's own finding: systemd-analyze knows nothing of it.
            if (d.code() == Code.UNIT_DIRECTIVE_NOT_APPLIED) continue;
            out.add(d.source().file() + ":" + d.source().line() + " " + d.code().slug());
        }
        return out;
    }

    @Test
    void ordoFindsEachProblemOnItsOwn() throws IOException {
        Set<String> got = ordo(writeUnits());
        assertEquals(new TreeSet<>(List.of(
                "broken.service:3 unit-unknown-key",
                "broken.service:6 unit-invalid-value",
                "broken.service:8 unit-invalid-value",
                "broken.service:9 unit-unknown-key",
                "broken.service:11 unit-unknown-section",
                "broken.service:17 unit-unknown-key",
                "broken.socket:3 unit-unknown-key",
                "broken.socket:7 unit-unknown-key",
                "broken.target:3 unit-unknown-section",
                "broken.target:6 unit-unknown-key")), got);
    }

    @Test
    void ordoReportsWhatSystemdAnalyzeReports() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ANALYZE), "systemd-analyze is not installed");
        List<Path> units = writeUnits();
        List<String> cmd = new ArrayList<>(List.of(ANALYZE.toString(), "verify", "--man=no"));
        for (Path u : units) cmd.add(u.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        Pattern line = Pattern.compile("^(?:.*/)?([^/:]+):(\\d+): (Unknown key|Unknown section|Failed to parse service type"
                + "|Failed to parse service restart)", Pattern.MULTILINE);
        Set<String> expected = new TreeSet<>();
        Matcher m = line.matcher(out);
        while (m.find()) {
            String slug = switch (m.group(3)) {
                case "Unknown key" -> Code.UNIT_UNKNOWN_KEY.slug();
                case "Unknown section" -> Code.UNIT_UNKNOWN_SECTION.slug();
                default -> Code.UNIT_INVALID_VALUE.slug();
            };
            expected.add(m.group(1) + ":" + m.group(2) + " " + slug);
        }
        Assumptions.assumeFalse(expected.isEmpty(), "systemd-analyze printed nothing we can compare:\n" + out);
        Set<String> got = ordo(units);
        for (String e : expected) assertTrue(got.contains(e), "systemd-analyze reports " + e + " but ordo does not: " + got);
        assertEquals(expected, got, "ordo reports more than systemd-analyze:\n" + out);
    }
}
