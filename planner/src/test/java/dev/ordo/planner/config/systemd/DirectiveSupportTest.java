package dev.ordo.planner.config.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.systemd.DirectiveSupport.Support;
import dev.ordo.planner.config.systemd.DirectiveSupport.SupportEntry;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table of what ordo run does with each directive: complete, unambiguous, and true to the reader. */
class DirectiveSupportTest {

    @TempDir
    Path tmp;

    /** A unit type that reads each section, and a name of that type. */
    private static final Map<String, String> UNIT_OF_SECTION = Map.ofEntries(
            Map.entry("Unit", "a.service"), Map.entry("Install", "a.service"), Map.entry("Service", "a.service"),
            Map.entry("Socket", "a.socket"), Map.entry("Mount", "data.mount"), Map.entry("Automount", "data.automount"),
            Map.entry("Swap", "dev-sdb2.swap"), Map.entry("Timer", "a.timer"), Map.entry("Path", "a.path"),
            Map.entry("Slice", "a-b.slice"), Map.entry("Scope", "a.scope"));

    /**
     * Keys the reader interprets (for order, or for the type) and also keeps as written in the settings: the
     * only ones in the settings that may be anything but not applied (UnitJobBuilder adds them on purpose).
     */
    private static final Set<String> INTERPRETED_AND_KEPT = Set.of("Mount.What",
            "Mount.Where", "Mount.Type", "Mount.Options", "Swap.What", "Service.TimeoutStartSec", "Timer.OnCalendar",
            "Service.PrivateTmp", "Socket.PrivateTmp", "Mount.PrivateTmp", "Swap.PrivateTmp",
            "Service.StandardOutput", "Socket.StandardOutput", "Mount.StandardOutput", "Swap.StandardOutput",
            "Service.StandardError", "Socket.StandardError", "Mount.StandardError", "Swap.StandardError");

    /** Keys the reader interprets into the model that the engine or the spawner then does not honour. */
    private static final Set<String> INTERPRETED_NOT_RUN = Set.of("RootDirectory");

    @Test
    void everyDirectiveOfSystemd252HasExactlyOneLine() {
        Set<String> names = new HashSet<>();
        for (SupportEntry e : DirectiveSupport.ENTRIES) assertTrue(names.add(e.name()), "two lines for " + e.name());
        Set<SupportEntry> used = new HashSet<>();
        int pairs = 0;
        for (Map.Entry<String, Set<String>> s : UnitDirectives.KEYS.entrySet()) {
            for (String key : s.getValue()) {
                pairs++;
                List<SupportEntry> own = new ArrayList<>();
                List<SupportEntry> general = new ArrayList<>();
                List<SupportEntry> family = new ArrayList<>();
                for (SupportEntry e : DirectiveSupport.ENTRIES) {
                    String n = e.name();
                    if (n.startsWith(DirectiveSupport.EXEC_PREFIX)) continue;
                    if (n.equals(s.getKey() + "." + key)) own.add(e);
                    else if (n.equals(key)) general.add(e);
                    else if (n.endsWith("*") && key.startsWith(n.substring(0, n.length() - 1))) family.add(e);
                }
                String where = "[" + s.getKey() + "] " + key + "=";
                assertTrue(own.size() <= 1 && general.size() + family.size() <= 1, where + " matches several lines: "
                        + own + general + family);
                SupportEntry e = DirectiveSupport.of(s.getKey(), key);
                assertNotNull(e, where + " has no line");
                assertEquals(!own.isEmpty() ? own.get(0) : !general.isEmpty() ? general.get(0) : family.get(0), e, where);
                used.add(e);
            }
        }
        assertEquals(1191, pairs, "UnitDirectives lists systemd 252's keys by section");
        for (SupportEntry e : DirectiveSupport.ENTRIES) {
            if (e.name().startsWith(DirectiveSupport.EXEC_PREFIX)) continue;
            assertTrue(used.contains(e), e.name() + " is a line for no key systemd 252 knows (or one another line hides)");
        }
        Set<String> exec = new TreeSet<>();
        for (SupportEntry e : DirectiveSupport.ENTRIES) {
            if (e.name().startsWith(DirectiveSupport.EXEC_PREFIX)) exec.add(e.name().substring(DirectiveSupport.EXEC_PREFIX.length()));
        }
        assertEquals(new TreeSet<>(List.of("-", "@", ":", "+", "!", "!!", "$VAR")), exec);
    }

    @Test
    void theTextsReadAsTheMessageUsesThem() {
        for (SupportEntry e : DirectiveSupport.ENTRIES) {
            assertFalse(e.what().isBlank(), e.name());
            // Not a sentence of its own: no capital word at the start (SIGPIPE is a name), no full stop at the end;
            // and not `ordo` first, which the table in docs/systemd.md would capitalise.
            boolean capital = Character.isUpperCase(e.what().charAt(0)) && Character.isLowerCase(e.what().charAt(1));
            assertFalse(e.what().endsWith(".") || capital || e.what().startsWith("ordo"),
                    e.name() + ": the text follows `X= is not applied by ordo run: ` and ends the line: " + e.what());
            if (e.asOrdo() != null) assertTrue(e.support().reported(), e.name() + ": a value like ordo run's only matters when reported");
        }
    }

    @Test
    void valuesThatAskForWhatOrdoRunDoesAnyway() {
        SupportEntry sigpipe = DirectiveSupport.of("Service", "IgnoreSIGPIPE");
        assertTrue(DirectiveSupport.asOrdo(sigpipe, "no"));
        assertTrue(DirectiveSupport.asOrdo(sigpipe, "false"));
        assertTrue(DirectiveSupport.asOrdo(sigpipe, "0"));
        assertFalse(DirectiveSupport.asOrdo(sigpipe, "yes"));
        assertFalse(DirectiveSupport.asOrdo(DirectiveSupport.of("Service", "ProtectSystem"), "strict"));
        assertTrue(DirectiveSupport.asOrdo(DirectiveSupport.of("Service", "StandardInput"), "null"));
        assertFalse(DirectiveSupport.asOrdo(DirectiveSupport.of("Service", "StandardInput"), "tty"));
        assertFalse(DirectiveSupport.asOrdo(DirectiveSupport.of("Service", "KillMode"), "no"), "no value of KillMode= is ordo run's");
    }

    /**
     * The table against the reader, for every key of every section: a key the reader keeps only as written
     * (it reaches nothing in the model) must be reported or not a run-time key, and a key it interprets must
     * not be called not applied unless the engine or the spawner ignores what the reader made of it.
     */
    @Test
    void whatTheReaderLeavesAsWrittenIsNeverCalledApplied() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Set<String>> s : UnitDirectives.KEYS.entrySet()) {
            String section = s.getKey();
            String unit = UNIT_OF_SECTION.get(section);
            Path dir = Files.createDirectories(tmp.resolve(section));
            StringBuilder text = new StringBuilder("[" + section + "]\n");
            for (String key : s.getValue()) text.append(key).append("=x\n");
            Files.writeString(dir.resolve(unit), text.toString());
            SystemdReader.TreeRead r = SystemdReader.read(List.of(dir), List.of(), p -> dir.relativize(p).toString());
            Job j = r.read().jobs().stream().filter(x -> x.name().equals(unit)).findFirst().orElseThrow();
            Set<String> kept = new HashSet<>();
            for (Setting st : j.unit().settings()) kept.add(st.key());
            for (String key : s.getValue()) {
                checked++;
                Support support = DirectiveSupport.of(section, key).support();
                String id = section + "." + key;
                boolean k = kept.contains(key);
                if (INTERPRETED_AND_KEPT.contains(id)) {
                    if (!k || !EnumSet.of(Support.ORDER_ONLY, Support.CLAMPED).contains(support)) wrong.add(id + " " + support + " kept=" + k);
                } else if (k) {
                    if (!EnumSet.of(Support.NOT_APPLIED, Support.NOT_RUN_TIME).contains(support)) wrong.add(id + " is kept only as written but " + support);
                } else if (INTERPRETED_NOT_RUN.contains(key)) {
                    if (support != Support.NOT_APPLIED) wrong.add(id + ": ordo run ignores what the reader makes of it, but " + support);
                } else if (support == Support.NOT_APPLIED) {
                    wrong.add(id + " is interpreted by the reader but NOT_APPLIED: say what ordo run does, or add it to INTERPRETED_NOT_RUN");
                }
            }
        }
        assertEquals(1191, checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void reportedMeansOrderOnlyOrNotApplied() {
        assertEquals(EnumSet.of(Support.ORDER_ONLY, Support.NOT_APPLIED),
                EnumSet.copyOf(List.of(Support.values()).stream().filter(Support::reported).toList()));
    }
}
