package dev.ordo.planner.config.systemd;

import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.job;
import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.read;
import static dev.ordo.planner.config.systemd.SystemdSyntaxTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.UnitCondition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Condition…=} and {@code Assert…=} as systemd's load-fragment.c reads them into the model. */
class UnitConditionsTest {

    @TempDir
    Path tmp;

    private SystemdReader.TreeRead unit(String text) throws IOException {
        write(tmp, "sys/a@.service", text);
        write(tmp, "sys/b.target.wants/a@x.service", "../a@.service\n");
        write(tmp, "sys/b.target", "[Unit]\n");
        return read(tmp.resolve("sys"));
    }

    private static List<String> texts(Job j) {
        return j.unit().conditions().stream().map(UnitCondition::text).toList();
    }

    @Test
    void prefixesSpecifiersAndOrder() throws IOException {
        // "If you prefix an argument with the pipe symbol and an exclamation mark, the pipe symbol must be passed
        // first, the exclamation second."
        SystemdReader.TreeRead r = unit("[Unit]\nAssertUser=root\nConditionPathExists=| ! /etc/%i\n"
                + "ConditionVirtualization=!container\n[Service]\nExecStart=/bin/a\n");
        assertTrue(r.read().diagnostics().isEmpty(), r.read().diagnostics()::toString);
        Job a = job(r, "a@x.service");
        assertEquals(List.of("ConditionPathExists=|!/etc/x", "ConditionVirtualization=!container", "AssertUser=root"),
                texts(a), "conditions first, then asserts, each in the order written");
        UnitCondition c = a.unit().conditions().get(0);
        assertEquals(ConditionKind.PATH_EXISTS, c.kind());
        assertTrue(c.trigger() && c.negate() && !c.assertion());
        assertEquals("sys/a@.service:3", c.source().file() + ":" + c.source().line());
    }

    @Test
    void anEmptyAssignmentResetsEveryConditionOrEveryAssert() {
        // "If any of these options is assigned the empty string, the list of conditions is reset completely, all
        // previous condition settings (of any kind) will have no effect."
        assertEquals(List.of("ConditionHost=h", "AssertHost=b"), texts(job(uncheckedUnit(
                "[Unit]\nConditionPathExists=/a\nAssertHost=a\nConditionVirtualization=\nConditionHost=h\nAssertHost=\n"
                        + "AssertHost=b\n"), "a@x.service")));
    }

    private SystemdReader.TreeRead uncheckedUnit(String text) {
        try {
            return unit(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRelativePathIsIgnoredAsSystemdDoes() throws IOException {
        SystemdReader.TreeRead r = unit("[Unit]\nConditionPathExists=etc/foo\nConditionUser=root\n");
        assertEquals(List.of("ConditionUser=root"), texts(job(r, "a@x.service")));
        assertEquals(1, r.read().diagnostics().size());
        assertEquals(Code.UNIT_INVALID_VALUE, r.read().diagnostics().get(0).code());
        assertEquals("ConditionPathExists= `etc/foo` is not an absolute path; systemd ignores the line",
                r.read().diagnostics().get(0).message());
    }

    @Test
    void conditionsAreNotKeptAsUninterpretedSettings() throws IOException {
        Job a = job(unit("[Unit]\nConditionPathExists=/a\n"), "a@x.service");
        assertTrue(a.unit().settings().stream().noneMatch(s -> s.key().startsWith("Condition")));
    }
}
