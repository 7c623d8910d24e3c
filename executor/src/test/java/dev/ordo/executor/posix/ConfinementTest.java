package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled classes' constant pools: what a class references is there, whatever the source
 * looks like (imports, fully qualified names, lambdas).
 */
class ConfinementTest {

    static final Path EXECUTOR = Path.of("target/classes");
    static final Path PLANNER = Path.of("../planner/target/classes");
    static final List<String> SUPERVISOR = List.of("engine", "posix", "runtime", "control");

    /** What one class file refers to: class names, {@code Owner.method} refs, and every UTF-8 constant. */
    record Refs(Set<String> classes, Set<String> methods, Set<String> utf8) {
    }

    static Refs read(Path classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(classFile)));
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf = new String[count];
        int[] classIdx = new int[count];
        int[][] refs = new int[count][];
        int[][] nat = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7 -> classIdx[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nat[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> in.readInt();
                default -> throw new IOException("constant tag " + tag + " in " + classFile);
            }
        }
        Set<String> classes = new HashSet<>();
        Set<String> methods = new HashSet<>();
        Set<String> utf8 = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (utf[i] != null) utf8.add(utf[i]);
            if (classIdx[i] != 0) classes.add(utf[classIdx[i]]);
        }
        for (int i = 1; i < count; i++) {
            if (refs[i] == null) continue;
            String owner = utf[classIdx[refs[i][0]]];
            methods.add(owner + "." + utf[nat[refs[i][1]][0]]);
        }
        return new Refs(classes, methods, utf8);
    }

    static List<Path> classes(Path root) throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void noSupervisorClassStartsProcessesBehindTheReapersBack() throws IOException {
        // ProcessBuilder/Runtime.exec children lose their exit status to a waitpid(-1) reaper (notes §3).
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (String pkg : SUPERVISOR) {
            for (Path c : classes(EXECUTOR.resolve("dev/ordo/executor/" + pkg))) {
                scanned++;
                Refs r = read(c);
                boolean pb = r.utf8().stream().anyMatch(u -> u.contains("java/lang/ProcessBuilder"));
                boolean exec = r.methods().contains("java/lang/Runtime.exec");
                if (pb || exec) offenders.add(EXECUTOR.relativize(c).toString());
            }
        }
        assertTrue(scanned > 10, "the supervisor's classes were found (" + scanned + ")");
        assertEquals(List.of(), offenders);
    }

    @Test
    void theScanSeesAProcessBuilderWhereThereIsOne() throws IOException {
        Refs r = read(Path.of("target/test-classes/dev/ordo/executor/posix/ConfinementTest$Witness.class"));
        assertTrue(r.utf8().stream().anyMatch(u -> u.contains("java/lang/ProcessBuilder")));
        assertTrue(r.methods().contains("java/lang/Runtime.exec"));
    }

    /** Never run: it only has to compile to the references the scan must catch. */
    static final class Witness {
        static void never() throws IOException {
            new ProcessBuilder("true").start();
            Runtime.getRuntime().exec(new String[] {"true"});
        }
    }

    @Test
    void onlyThePosixPackageReferencesJnr() throws IOException {
        // check and plan must start fast: loading jnr costs ~250 ms (notes §7).
        List<String> offenders = new ArrayList<>();
        List<Path> all = new ArrayList<>(classes(PLANNER));
        all.addAll(classes(EXECUTOR));
        for (Path c : all) {
            if (c.startsWith(EXECUTOR.resolve("dev/ordo/executor/posix"))) continue;
            if (read(c).utf8().stream().anyMatch(u -> u.contains("jnr/") || u.contains("com/kenai/jffi"))) offenders.add(c.toString());
        }
        assertTrue(all.size() > 50, "planner and executor classes were found (" + all.size() + ")");
        assertEquals(List.of(), offenders);
        assertTrue(read(EXECUTOR.resolve("dev/ordo/executor/posix/Sys.class")).utf8().stream().anyMatch(u -> u.contains("jnr/")),
                "the scan does see jnr where it is");
    }
}
