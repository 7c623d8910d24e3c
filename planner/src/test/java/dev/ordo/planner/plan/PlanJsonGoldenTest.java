package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.render.PlanJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan JSON of fixed inputs must stay byte for byte what it was when the expected files were
 * written (before the planner was made fast): speed work must not change a plan. The inputs are the
 * samples, goals with failures, emitted events and learned durations, and two generated 1,000-job
 * configurations ({@code ordo bench plan --keep DIR --sizes 1000}, seed 1).
 *
 * <p>To rewrite the expected files after an intended change of the plan, run with
 * {@code ORDO_GOLDEN_WRITE=1} and review the diff.
 */
class PlanJsonGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/plan-golden");
    private static final Path SAMPLES = Path.of("../samples");

    record Case(String name, List<Path> paths, Goal goal, Map<String, Double> learned) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Goal goal() {
        return new Goal(List.of(), List.of(), List.of());
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String f : List.of("dbus-hal", "getty", "hersql", "nfs", "sobby")) {
            out.add(new Case("yaml-" + f, List.of(SAMPLES.resolve("yaml/" + f + ".yaml")), goal(), Map.of()));
        }
        out.add(new Case("samples-yaml", List.of(SAMPLES.resolve("yaml")), goal(), Map.of()));
        out.add(new Case("samples-upstart", List.of(SAMPLES.resolve("upstart")), goal(), Map.of()));
        out.add(new Case("samples-systemd", List.of(SAMPLES.resolve("systemd")), goal(), Map.of()));
        out.add(new Case("samples-upstart-fail-dbus", List.of(SAMPLES.resolve("upstart")),
                new Goal(List.of(), List.of(), List.of(new Goal.Failure("dbus", null))), Map.of()));
        out.add(new Case("yaml-hersql-fail-segv", List.of(SAMPLES.resolve("yaml/hersql.yaml")),
                new Goal(List.of(), List.of(), List.of(new Goal.Failure("hersql", "SEGV"))), Map.of()));
        out.add(new Case("yaml-getty-emit", List.of(SAMPLES.resolve("yaml/getty.yaml")),
                new Goal(List.of(new Goal.GoalEvent("startup", List.of()),
                        new Goal.GoalEvent("tty-added", List.of("TTY=tty1")),
                        new Goal.GoalEvent("tty-added", List.of("TTY=tty2"))), List.of(), List.of()), Map.of()));
        out.add(new Case("samples-yaml-learned", List.of(SAMPLES.resolve("yaml")), goal(),
                Map.of("dbus", 0.25, "hal", 3.0, "sobby", 0.125)));
        Path tricky = GOLDEN.resolve("tricky.yaml");
        out.add(new Case("tricky", List.of(tricky), goal(), Map.of()));
        out.add(new Case("tricky-fail-e", List.of(tricky),
                new Goal(List.of(), List.of(), List.of(new Goal.Failure("e", null))), Map.of()));
        out.add(new Case("tricky-start-g", List.of(tricky),
                new Goal(List.of(), List.of("g", "a"), List.of()), Map.of("e", 0.75)));
        out.add(new Case("samples-broken", List.of(SAMPLES.resolve("broken")), goal(), Map.of()));
        Path pure = GOLDEN.resolve("pure-1000.yaml");
        Path mixed = GOLDEN.resolve("mixed-1000.yaml");
        out.add(new Case("pure-1000", List.of(pure), goal(), Map.of()));
        out.add(new Case("pure-1000-fail", List.of(pure),
                new Goal(List.of(), List.of(), List.of(new Goal.Failure("j000003", null))), Map.of()));
        out.add(new Case("mixed-1000", List.of(mixed), goal(), Map.of()));
        out.add(new Case("mixed-1000-fail", List.of(mixed),
                new Goal(List.of(), List.of(), List.of(new Goal.Failure("j000531", "1"))), Map.of()));
        out.add(new Case("mixed-1000-learned", List.of(mixed), goal(),
                Map.of("j000001", 2.5, "j000010", 0.5, "j000100", 7.0, "j000500", 0.001)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planJsonIsByteIdentical(Case c) throws IOException {
        String json = PlanJson.write(Planner.plan(ConfigLoader.load(c.paths(), null),
                new Planner.Request(c.goal(), c.learned())));
        // The big ones are kept compressed; the small ones stay readable in a diff.
        boolean big = json.length() > 100_000;
        Path expected = GOLDEN.resolve(c.name() + (big ? ".json.gz" : ".json"));
        if (System.getenv("ORDO_GOLDEN_WRITE") != null) write(expected, json, big);
        assertTrue(Files.exists(expected), "no expected file " + expected);
        String want = read(expected, big);
        if (!want.equals(json)) {
            Path got = Path.of("target", "plan-golden", c.name() + ".json");
            Files.createDirectories(got.getParent());
            Files.writeString(got, json, StandardCharsets.UTF_8);
            assertEquals(want, json, "plan JSON differs; what it is now is in " + got);
        }
    }

    private static void write(Path p, String text, boolean gzip) throws IOException {
        if (!gzip) {
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return;
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(Path p, boolean gzip) throws IOException {
        if (!gzip) return Files.readString(p, StandardCharsets.UTF_8);
        try (InputStream i = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(i.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
