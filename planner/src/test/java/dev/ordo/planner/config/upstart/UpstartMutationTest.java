package dev.ordo.planner.config.upstart;

import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.Text;

import dev.ordo.planner.config.upstart.UpstartReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Damaged job files: corpus files cut, with lines duplicated, swapped or deleted, or with garbage
 * inserted. The reader must never throw, must always give one job, and every diagnostic must point at
 * a real place in the damaged text.
 */
class UpstartMutationTest {

    static final List<String> FILES = load();

    static List<String> load() {
        // Without the shared corpus beside the clone, the repository's own Upstart samples are damaged instead.
        Path corpus = SharedCorpus.present() ? SharedCorpus.SHARED.resolve("corpus/upstart")
                : SharedCorpus.TOP.resolve("samples/upstart");
        try (Stream<Path> s = Files.walk(corpus)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(x -> x.toString().endsWith(".conf")).sorted().toList()) out.add(Text.read(p));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    enum Kind { CUT, DUPLICATE, SWAP, GARBAGE, DELETE }

    record Mutation(Kind kind, int a, int b, String garbage) {
        String apply(String text) {
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            int n = lines.size();
            switch (kind) {
                case CUT -> {
                    return text.substring(0, Math.floorMod(a, text.length() + 1));
                }
                case DUPLICATE -> lines.add(Math.floorMod(a, n), lines.get(Math.floorMod(a, n)));
                case SWAP -> {
                    int i = Math.floorMod(a, n);
                    int j = Math.floorMod(b, n);
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
                case DELETE -> {
                    if (n > 0) lines.remove(Math.floorMod(a, n));
                }
                case GARBAGE -> {
                    int at = Math.floorMod(a, text.length() + 1);
                    return text.substring(0, at) + garbage + text.substring(at);
                }
                default -> throw new IllegalStateException();
            }
            return String.join("\n", lines);
        }
    }

    @Provide
    Arbitrary<String> damaged() {
        Arbitrary<String> garbage = Arbitraries.strings()
                .withChars("()\"'\\#\n\r\t =$!*[]{}andorscriptend\u0000\u00e9\u2014\ud83d\ude00")
                .withCharRange('\u0001', '\u007f')
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 100_000),
                Arbitraries.integers().between(0, 100_000), garbage).as(Mutation::new);
        return Combinators.combine(Arbitraries.integers().between(0, FILES.size() - 1), one.list().ofMinSize(1).ofMaxSize(4))
                .as((file, mutations) -> {
                    String text = FILES.get(file);
                    for (Mutation m : mutations) text = m.apply(text);
                    return text;
                });
    }

    @Property(tries = 600)
    void damagedFilesNeverThrowAndEveryDiagnosticPointsIntoTheFile(@ForAll("damaged") String text) {
        check(text, null);
    }

    @Property(tries = 200)
    void aDamagedOverrideNeverThrowsEither(@ForAll("damaged") String override) {
        check(FILES.get(0), override);
    }

    private static void check(String text, String override) {
        ReadResult r = UpstartReader.read("t.conf", "t", text, override == null ? null : "t.override", override);
        assertEquals(1, r.jobs().size());
        for (Diagnostic d : r.diagnostics()) {
            String body = d.source().file().equals("t.conf") ? text : override;
            long lines = body.replace("\r\n", "\n").chars().filter(c -> c == '\n').count() + 1;
            assertTrue(d.source().line() >= 1, d::toString);
            assertTrue(d.source().column() >= 1, d::toString);
            assertTrue(d.source().line() <= lines + 1, d::toString);
            assertTrue(!d.message().isBlank(), d::toString);
        }
        assertEquals(r, UpstartReader.read("t.conf", "t", text, override == null ? null : "t.override", override),
                "same input, same output");
    }
}
