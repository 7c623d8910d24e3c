package dev.ordo.planner.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ORD207: what `exec` in front of a shell line does to `||`, `&&`, `;`, `|` and `&` (U§1.4). */
class ShellCheckTest {

    @Test
    void theOperatorsExecDefeatsAreFoundOutsideQuotesOnly() {
        assertEquals("||", ShellCheck.operator("a || b"));
        assertEquals("&&", ShellCheck.operator("a && b"));
        assertEquals(";", ShellCheck.operator("a; b"));
        assertEquals("|", ShellCheck.operator("a | logger"));
        assertEquals("&", ShellCheck.operator("a &"));
        assertNull(ShellCheck.operator("/usr/bin/web --port 8080"), "no shell at all");
        assertNull(ShellCheck.operator("/sbin/getty 38400 $TTY"), "a shell, and nothing exec defeats");
        assertNull(ShellCheck.operator("daemon >> /var/log/d.log 2>&1"), "redirections work with exec");
        assertNull(ShellCheck.operator("sh -c 'a || b'"), "quoted: the inner shell has it");
        assertNull(ShellCheck.operator("echo \"x; y\""));
        assertNull(ShellCheck.operator("echo a\\;b"), "escaped");
    }

    @Test
    void upstartAndYamlAreCheckedSystemdAndScriptsAreNot() {
        Source at = new Source("j", 3, 5);
        List<Job> jobs = List.of(
                Job.builder("y", Format.YAML, at).process(Process.exec(Phase.MAIN, "a || b", at)).build(),
                Job.builder("u", Format.UPSTART, at).process(Process.exec(Phase.PRE_START, "a; b", at)).build(),
                Job.builder("s.service", Format.SYSTEMD, at).process(Process.exec(Phase.MAIN, "a || b", at)).build(),
                Job.builder("sc", Format.YAML, at).process(Process.script(Phase.MAIN, "a || b", at)).build());
        List<Diagnostic> out = new ArrayList<>();
        ShellCheck.run(new Config(jobs, List.of("j"), List.of()), out);
        assertEquals(2, out.size(), out::toString);
        assertEquals(Code.EXEC_SHELL_OPERATOR, out.get(0).code());
        assertEquals("this line runs as `sh -e -c \"exec a; b\"` because of `;`: `exec` replaces the shell, so what"
                + " follows `;` never runs", out.get(0).message());
        assertEquals("for shell logic use a `script` ... `end script` block; for one program, leave the operator out",
                out.get(0).hint());
        assertEquals("for shell logic use `script:` (run by /bin/sh -e); for one program, leave the operator out",
                out.get(1).hint());
    }
}
