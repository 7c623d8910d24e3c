package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands take a unit by any of its names, as systemctl does: default.target is seed.target in the samples. */
class UnitAliasCommandTest {

    static final Path UNITS = Path.of(System.getProperty("ordo.top", "..")).resolve("samples/systemd");

    @Test
    void aUnitsAliasNamesTheUnitInEveryCommand() {
        Config config = ConfigLoader.load(List.of(UNITS), null);
        Harness h = new Harness(config.jobs().toArray(dev.ordo.planner.model.Job[]::new));
        h.boot();
        assertEquals("seed.target stop/waiting", h.status("default.target"));
        long start = h.command(Input.Command.start(h.request(), "default.target").noWait());
        assertTrue(h.reply(start).ok(), h.reply(start).text());
        assertTrue(h.status("seed.target").startsWith("seed.target start/"), h.status("seed.target"));
        long unknown = h.command(Input.Command.start(h.request(), "no-such.target"));
        assertEquals("Unknown job: no-such.target", h.reply(unknown).text());
    }
}
