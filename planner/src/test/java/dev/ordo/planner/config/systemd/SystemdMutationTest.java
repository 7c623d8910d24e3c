package dev.ordo.planner.config.systemd;

import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.config.Text;

import dev.ordo.planner.config.systemd.SystemdReader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Mutated corpus units never make the reader throw, and every diagnostic points inside the file. */
class SystemdMutationTest {

    private static final List<Path> CORPUS = corpus();

    private static List<Path> corpus() {
        // Without the shared corpus beside the clone, the repository's own unit samples are damaged instead.
        Path lib = SharedCorpus.present() ? SystemdCorpusTest.ROOT.resolve("lib/systemd/system")
                : SharedCorpus.TOP.resolve("samples/systemd");
        try (Stream<Path> s = Files.list(lib)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                try {
                    return !SharedCorpus.present() || Files.size(p) > 200; // unit files, not the corpus's stored links
                } catch (IOException e) {
                    return false;
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One edit of a file's lines. */
    record Mutation(int kind, int a, int b, String garbage) {
    }

    @Provide
    Arbitrary<Mutation> mutation() {
        Arbitrary<String> garbage = Arbitraries.strings().withChars("[]=\\#;% \t\"'@.\u00e9\u0000\r\n").ofMaxLength(12)
                .injectDuplicates(0.1);
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000), garbage).as(Mutation::new);
    }

    static String mutate(String text, List<Mutation> ms) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (Mutation m : ms) {
            if (lines.isEmpty()) lines.add("");
            int i = m.a() % lines.size();
            int j = m.b() % lines.size();
            String l = lines.get(i);
            switch (m.kind()) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(j, l);
                case 2 -> {
                    lines.set(i, lines.get(j));
                    lines.set(j, l);
                }
                case 3 -> lines.set(i, l.substring(0, m.b() % (l.length() + 1)));
                case 4 -> lines.set(i, l.substring(0, m.b() % (l.length() + 1)) + m.garbage()
                        + l.substring(m.b() % (l.length() + 1)));
                case 5 -> lines.set(i, l + "\\");
                default -> lines.add(i, m.garbage());
            }
        }
        return String.join("\n", lines);
    }

    @Property(tries = 300)
    void mutatedUnitsNeverThrowAndDiagnosticsPointIntoTheFile(
            @ForAll("file") Path source, @ForAll("mutations") List<Mutation> ms, @ForAll boolean garbageBytes)
            throws IOException {
        String text = mutate(Files.readString(source), ms);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (garbageBytes && bytes.length > 4) {
            bytes[ms.size() % bytes.length] = (byte) 0xC3;
            bytes[(ms.size() * 7) % bytes.length] = (byte) 0xFF;
        }
        Path dir = Files.createTempDirectory("ordo-systemd-mut");
        try {
            String name = source.getFileName().toString();
            Files.write(dir.resolve(name), bytes);
            Files.writeString(dir.resolve("wants-it.target"), "[Unit]\nWants=" + name.replace("@.", "@x.") + "\n");
            SystemdReader.TreeRead r = SystemdReader.read(List.of(dir), List.of(), p -> dir.relativize(p).toString());
            String[] lines = Text.decode(bytes).split("\n", -1);
            for (Diagnostic d : r.read().diagnostics()) {
                if (!d.source().file().equals(name)) continue;
                assertTrue(d.source().line() >= 1 && d.source().line() <= lines.length, d.toString());
                int length = lines[d.source().line() - 1].codePointCount(0, lines[d.source().line() - 1].length());
                assertTrue(d.source().column() >= 1 && d.source().column() <= length + 1, d + " in: " + lines[d.source().line() - 1]);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<Path> file() {
        return Arbitraries.of(CORPUS);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(8);
    }
}
