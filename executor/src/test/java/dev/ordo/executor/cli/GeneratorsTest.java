package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's generators as ordo runs them (systemd.generator(7)): found in the generator directories with
 * the first of a name winning and /dev/null masking, run with the three output directories, emptied first;
 * only when ordo boots / itself and no systemd runs.
 */
class GeneratorsTest {

    @TempDir
    Path root;

    Path generator(String dir, String name, String script) throws IOException {
        Path p = root.resolve(dir).resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void theFirstOfANameRunsWithTheThreeOutputDirectoriesAndAMaskedOneDoesNot() throws Exception {
        String lib = "usr/lib/systemd/system-generators";
        String etc = "etc/systemd/system-generators";
        // As postgresql-generator: an instance linked into a .wants directory of the normal output.
        generator(lib, "pg", "mkdir -p $1/postgresql.service.wants && ln -s /lib/systemd/system/postgresql@.service"
                + " $1/postgresql.service.wants/postgresql@15-main.service && echo \"$1|$2|$3\" > $1/args");
        generator(lib, "masked", "touch $1/masked-ran");
        Files.createDirectories(root.resolve(etc));
        Files.createSymbolicLink(root.resolve(etc).resolve("masked"), Path.of("/dev/null"));
        generator(lib, "over", "touch $1/lib-over-ran");
        generator(etc, "over", "touch $1/etc-over-ran");
        Path plain = generator(lib, "plain", "touch $1/plain-ran");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        generator(lib, "fails", "echo 'cannot read fstab' >&2; exit 3");
        // What an earlier boot left is gone before they run.
        Path normal = root.resolve("run/systemd/generator");
        Files.createDirectories(normal);
        Files.writeString(normal.resolve("stale.service"), "[Service]\n");

        Map<String, Path> found = Generators.find(root);
        assertEquals(List.of("fails", "over", "pg"), List.copyOf(found.keySet()));
        assertEquals(root.resolve(etc).resolve("over"), found.get("over"));

        List<Generators.Outcome> done = Generators.run(root);
        assertEquals(List.of(new Generators.Outcome("fails", 3, "cannot read fstab"), new Generators.Outcome("over", 0, ""),
                new Generators.Outcome("pg", 0, "")), done);
        assertEquals(normal.toAbsolutePath() + "|" + root.resolve("run/systemd/generator.early").toAbsolutePath() + "|"
                + root.resolve("run/systemd/generator.late").toAbsolutePath(), Files.readString(normal.resolve("args")).strip());
        assertTrue(Files.isSymbolicLink(normal.resolve("postgresql.service.wants/postgresql@15-main.service")));
        assertTrue(Files.exists(normal.resolve("etc-over-ran")));
        assertFalse(Files.exists(normal.resolve("lib-over-ran")));
        assertFalse(Files.exists(normal.resolve("masked-ran")));
        assertFalse(Files.exists(normal.resolve("plain-ran")));
        assertFalse(Files.exists(normal.resolve("stale.service")));
        assertTrue(Files.isDirectory(root.resolve("run/systemd/generator.late")));
    }

    @Test
    void onlyWhenOrdoBootsTheMachineItself() {
        assertFalse(Generators.wanted(null, true, true), "no --root: no units to generate");
        assertFalse(Generators.wanted(root, true, true), "another root: generators read this machine's /etc, not its");
        assertFalse(Generators.wanted(Path.of("/"), false, false), "a running machine, not told to boot it");
        boolean systemdRuns = Files.isDirectory(Path.of("/run/systemd/system"));
        assertEquals(!systemdRuns, Generators.wanted(Path.of("/"), true, false), "PID 1, unless systemd runs here");
        assertEquals(!systemdRuns, Generators.wanted(Path.of("/"), false, true), "--early-boot, unless systemd runs here");
    }
}
