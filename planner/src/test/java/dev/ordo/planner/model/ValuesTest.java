package dev.ordo.planner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations, signals and exit statuses as people write them. */
class ValuesTest {

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Timespan.parse("500ms"));
        assertEquals(Duration.ofSeconds(5), Timespan.parse("5s"));
        assertEquals(Duration.ofSeconds(5), Timespan.parse("5"));
        assertEquals(Duration.ofMinutes(2), Timespan.parse("2m"));
        assertEquals(Duration.ofSeconds(90), Timespan.parse("1min 30s"));
        assertEquals(Duration.ofMillis(1500), Timespan.parse("1.5s"));
        assertEquals("unknown unit 'x' in duration 5x (use ms, s, m or h)",
                assertThrows(IllegalArgumentException.class, () -> Timespan.parse("5x")).getMessage());
        assertEquals("not a duration: soon (write e.g. 500ms, 5s, 2m)",
                assertThrows(IllegalArgumentException.class, () -> Timespan.parse("soon")).getMessage());
    }

    @Test
    void durationFormattingReadsBack() {
        for (String s : new String[] {"500ms", "5s", "2m", "1h", "1h30m", "90s", "0s"}) {
            assertEquals(s, Timespan.format(Timespan.parse(s)));
        }
    }

    @Test
    void signals() {
        assertEquals(Signal.TERM, Signal.parse("TERM"));
        assertEquals(Signal.TERM, Signal.parse("SIGTERM"));
        assertEquals(Signal.TERM, Signal.parse("15"));
        assertEquals(new Signal(30, "PWR"), Signal.parse("SIGPWR"));
        assertEquals(new Signal(0, "0"), Signal.parse("0"), "signal 0 (reload signal 0 in the corpus) is legal");
        assertEquals(new Signal(36, "RTMIN+2"), Signal.parse("RTMIN+2"));
        assertEquals("unknown signal: SIGFOO",
                assertThrows(IllegalArgumentException.class, () -> Signal.parse("SIGFOO")).getMessage());
        assertEquals("signal number out of range: 99 (1 to 64)",
                assertThrows(IllegalArgumentException.class, () -> Signal.parse("99")).getMessage());
    }

    @Test
    void exitStatuses() {
        assertEquals(ExitStatus.code(0), ExitStatus.parse("0"));
        assertEquals(ExitStatus.signal(Signal.parse("ABRT")), ExitStatus.parse("ABRT"));
        assertEquals("exit status out of range: 900 (0 to 255)",
                assertThrows(IllegalArgumentException.class, () -> ExitStatus.parse("900")).getMessage());
    }
}
