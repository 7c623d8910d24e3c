package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.RelationKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generators run as systemd.generator(7) says, in a tree of the test's own (never the machine's /run). */
class GeneratorsTest {

    @TempDir
    Path root;

    private Path script(String dir, String name, String body) throws Exception {
        Path p = root.resolve(dir).resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aGeneratorsLinksBecomePartOfTheTree() throws Exception {
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        Files.writeString(units.resolve("db.service"), "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n");
        Files.writeString(units.resolve("db@.service"), "[Service]\nExecStart=/bin/sleep 1\n");
        // As postgresql-generator does: one instance per cluster, wanted by db.service.
        script("lib/systemd/system-generators", "db-generator",
                "mkdir -p \"$1/db.service.wants\" && ln -s " + units.resolve("db@.service") + " \"$1/db.service.wants/db@15-main.service\"\n");
        // Hidden by a masked namesake in an earlier directory; it would write a unit.
        script("lib/systemd/system-generators", "masked-generator", "touch \"$1/never.service\"\n");
        Files.createDirectories(root.resolve("etc/systemd/system-generators"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system-generators/masked-generator"), Path.of("/dev/null"));
        script("usr/lib/systemd/system-generators", "failing-generator", "exit 3\n");
        // What an earlier boot generated is gone.
        Files.createDirectories(root.resolve("run/systemd/generator.late"));
        Files.writeString(root.resolve("run/systemd/generator.late/stale.service"), "[Service]\nExecStart=/bin/true\n");

        StringWriter err = new StringWriter();
        Generators.run(root, Duration.ofSeconds(30), new PrintWriter(err));
        assertEquals("ordo: generator failing-generator exited with status 3\n", err.toString());
        assertFalse(Files.exists(root.resolve("run/systemd/generator/never.service")), "masked");
        assertFalse(Files.exists(root.resolve("run/systemd/generator.late/stale.service")), "emptied first");

        Config c = ConfigLoader.load(List.of(), root);
        Job db = c.byName().get("db.service");
        assertTrue(db.relations(RelationKind.WANTS).stream().anyMatch(r -> r.target().equals("db@15-main.service")), db.relations().toString());
        assertTrue(c.byName().containsKey("db@15-main.service"), "the generated instance is a job");
    }

    @Test
    void aHungGeneratorIsKilledAtTheTimeout() throws Exception {
        script("lib/systemd/system-generators", "slow-generator", "exec sleep 60\n");
        StringWriter err = new StringWriter();
        Generators.run(root, Duration.ofMillis(300), new PrintWriter(err));
        assertEquals("ordo: generator slow-generator did not finish within 0s; killed\n", err.toString());
    }

    @Test
    void onlyTheMachinesOwnRootGetsGenerators() {
        assertTrue(RunCommand.isThisMachine(Path.of("/")));
        assertFalse(RunCommand.isThisMachine(root));
    }
}
