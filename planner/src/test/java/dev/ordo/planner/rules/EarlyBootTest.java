package dev.ordo.planner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early boot of a real unit tree, and which programs need systemd itself. */
class EarlyBootTest {

    @TempDir
    Path tmp;

    /**
     * Debian's udev and cron are not installed on the corpus machine: their units, as Debian 12 ships them
     * (trimmed to the lines that place them in the boot), are given on the command line beside the tree.
     */
    private Config debian() throws IOException {
        Path udevd = Files.writeString(tmp.resolve("systemd-udevd.service"), """
                [Unit]
                Description=Rule-based Manager for Device Events and Files
                DefaultDependencies=no
                After=systemd-sysusers.service systemd-hwdb-update.service
                Before=sysinit.target
                ConditionPathIsReadWrite=/sys

                [Service]
                Type=notify
                ExecStart=/lib/systemd/systemd-udevd
                """);
        Path cron = Files.writeString(tmp.resolve("cron.service"), """
                [Unit]
                Description=Regular background program processing daemon
                After=remote-fs.target nss-user-lookup.target

                [Service]
                ExecStart=/usr/sbin/cron -f
                Restart=on-failure

                [Install]
                WantedBy=multi-user.target
                """);
        Config c = ConfigLoader.load(List.of(udevd, cron), SharedCorpus.debian12());
        assertTrue(c.diagnostics().stream().noneMatch(Diagnostic::isError), () -> c.diagnostics().toString());
        return c;
    }

    @Test
    void debiansEarlyBootIsWhatSysinitTargetBringsUp() throws IOException {
        Set<String> early = EarlyBoot.units(debian().jobs());
        for (String u : List.of("systemd-tmpfiles-setup.service", "systemd-tmpfiles-setup-dev.service",
                "systemd-udevd.service", "systemd-journald.service", "systemd-journald.socket",
                "systemd-modules-load.service", "systemd-sysctl.service", "systemd-remount-fs.service",
                "kmod-static-nodes.service", "systemd-random-seed.service", "systemd-timesyncd.service",
                "local-fs.target", "dev-hugepages.mount")) {
            assertTrue(early.contains(u), () -> u + " is early boot: " + early);
        }
        for (String u : List.of("cron.service", "dbus.service", "dbus.socket", "systemd-logind.service",
                "getty@tty1.service", "postgresql.service", "systemd-user-sessions.service", "sysinit.target",
                "basic.target", "multi-user.target", "sockets.target", "timers.target", "apt-daily.timer")) {
            assertFalse(early.contains(u), () -> u + " is not early boot: " + early);
        }
    }

    @Test
    void onlyUnitsWithSomethingToRunAreSkipped() throws IOException {
        Config c = debian();
        Job tmpfiles = c.byName().get("systemd-tmpfiles-setup.service");
        Job localFs = c.byName().get("local-fs.target");
        assertTrue(EarlyBoot.skipped(tmpfiles));
        assertFalse(EarlyBoot.skipped(localFs), "a target runs nothing: the boot waits for it to be reached");
    }

    @Test
    void withoutSysinitTargetThereIsNoEarlyBoot() {
        Job j = Job.builder("a", dev.ordo.planner.model.Format.YAML, new dev.ordo.planner.diag.Source("x", 1, 1)).build();
        assertEquals(Set.of(), EarlyBoot.units(List.of(j)));
    }

    @Test
    void systemdsOwnClientsAreNamedByTheirProgram() throws IOException {
        Config c = debian();
        assertEquals(NeedsSystemd.LOGIND, NeedsSystemd.of(c.byName().get("systemd-logind.service")));
        assertEquals(NeedsSystemd.UPDATE_UTMP, NeedsSystemd.of(c.byName().get("systemd-update-utmp-runlevel.service")));
        assertEquals(NeedsSystemd.UPDATE_UTMP, NeedsSystemd.of(c.byName().get("systemd-update-utmp.service")));
        assertEquals(NeedsSystemd.SYSTEMCTL, NeedsSystemd.of(c.byName().get("getty-static.service")));
        assertEquals(NeedsSystemd.JOURNALD, NeedsSystemd.of(c.byName().get("systemd-journald.service")));
        assertEquals(NeedsSystemd.JOURNAL_FLUSH, NeedsSystemd.of(c.byName().get("systemd-journal-flush.service")));
        for (String fine : List.of("systemd-user-sessions.service",
                "dbus.service", "cron.service", "systemd-timesyncd.service")) {
            assertEquals(null, NeedsSystemd.of(c.byName().get(fine)), fine);
        }
    }
}
