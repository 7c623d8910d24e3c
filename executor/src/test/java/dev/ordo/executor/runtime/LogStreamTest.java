package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The invariants of a log written from a pipe, whatever the output and however the reads cut it: nothing is
 * lost or reordered, no file is larger than the size unless it holds a single line, a file ends inside a line
 * only where the process went quiet in it, and the kept files never take more than (count + 1) × size.
 */
class LogStreamTest {

    /** One read of the pipe: its bytes, and whether the process went quiet after it. */
    record Read(String text, boolean quietAfter) {
    }

    @Provide
    Arbitrary<List<Read>> reads() {
        Arbitrary<String> text = Arbitraries.strings().withChars('a', 'b', '\n').ofMinLength(1).ofMaxLength(40);
        Arbitrary<Boolean> quiet = Arbitraries.integers().between(0, 5).map(i -> i == 0);
        return text.flatMap(t -> quiet.map(q -> new Read(t, q))).list().ofMaxSize(30);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            // Oldest first: web.log.N … web.log.1, then web.log.
            return s.sorted(Comparator.comparingInt(LogStreamTest::age).reversed()).toList();
        }
    }

    static int age(Path p) {
        String name = p.getFileName().toString();
        return name.equals("web.log") ? 0 : Integer.parseInt(name.substring("web.log.".length()));
    }

    static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Property(tries = 300)
    void nothingIsLostAndNoFileOutgrowsItsSize(@ForAll("reads") List<Read> reads, @ForAll @IntRange(min = 1, max = 60) int size)
            throws IOException {
        Path dir = Files.createTempDirectory("logstream");
        try {
            // Enough files kept for nothing to be dropped: the files together are the output.
            LogStream s = new LogStream(new LogFiles(dir, size, 1000).open("web", ""));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<String> quietInside = new ArrayList<>();
            for (Read r : reads) {
                byte[] b = r.text().getBytes(StandardCharsets.UTF_8);
                s.write(b, 0, b.length);
                all.write(b);
                if (r.quietAfter()) {
                    s.quiet();
                    String sofar = all.toString(StandardCharsets.UTF_8);
                    if (!sofar.isEmpty() && !sofar.endsWith("\n")) quietInside.add(sofar);
                }
            }
            s.close();
            String expected = all.toString(StandardCharsets.UTF_8);
            if (!expected.isEmpty() && !expected.endsWith("\n")) expected += "\n"; // the last line is ended

            StringBuilder joined = new StringBuilder();
            List<Path> files = files(dir);
            for (int i = 0; i < files.size(); i++) {
                String text = Files.readString(files.get(i));
                joined.append(text);
                boolean oneLine = text.indexOf('\n') < 0 || text.indexOf('\n') == text.length() - 1;
                assertTrue(text.length() <= size || oneLine, files.get(i) + " holds " + text.length() + " bytes: `" + text + "`");
                // A rotated file ends inside a line only where the process went quiet in it.
                if (i < files.size() - 1 && !text.endsWith("\n")) {
                    assertTrue(quietInside.contains(joined.toString()), files.get(i) + " ends inside a line: `" + joined + "`");
                }
            }
            assertEquals(expected, joined.toString());
            // `ordo log` reads the same lines the output had, whole.
            List<String> lines = expected.isEmpty() ? List.of() : List.of(expected.substring(0, expected.length() - 1).split("\n", -1));
            assertEquals(lines, new LogFiles(dir, size, 1000).tail("web", "", -1));
        } finally {
            deleteAll(dir);
        }
    }

    /**
     * With few files kept, the oldest go: what is kept is the end of the output, within (count + 1) × the size, or
     * × the longest line where one is longer than the size.
     */
    @Property(tries = 200)
    void theKeptFilesAreTheEndOfTheOutputWithinTheirBound(@ForAll("reads") List<Read> reads,
                                                           @ForAll @IntRange(min = 40, max = 80) int size,
                                                           @ForAll @IntRange(min = 0, max = 3) int keep) throws IOException {
        Path dir = Files.createTempDirectory("logstream");
        try {
            LogStream s = new LogStream(new LogFiles(dir, size, keep).open("web", ""));
            StringBuilder all = new StringBuilder();
            for (Read r : reads) {
                byte[] b = r.text().getBytes(StandardCharsets.UTF_8);
                s.write(b, 0, b.length);
                all.append(r.text());
                long total = 0;
                for (Path p : files(dir)) total += Files.size(p);
                int longest = 0;
                for (String line : all.toString().split("\n", -1)) longest = Math.max(longest, line.length() + 1);
                assertTrue(total <= (long) (keep + 1) * Math.max(size, longest), total + " bytes kept");
            }
            s.close();
            StringBuilder joined = new StringBuilder();
            for (Path p : files(dir)) joined.append(Files.readString(p));
            String expected = all.length() > 0 && all.charAt(all.length() - 1) != '\n' ? all + "\n" : all.toString();
            assertTrue(expected.endsWith(joined.toString()), "`" + joined + "` is not the end of `" + expected + "`");
        } finally {
            deleteAll(dir);
        }
    }
}
