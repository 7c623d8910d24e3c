package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Upstart job files ({@code /etc/init/*.conf}, init(5)) into ordo's model. See
 * {@code docs/upstart.md} for how each stanza maps and what is left out.
 *
 * <p>A file with errors still gives a job, built from the stanzas that could be read; every problem is
 * a diagnostic with its line and column. Upstart itself would refuse to load such a job.
 */
public final class UpstartReader {

    private UpstartReader() {
    }

    /**
     * Whether {@code head} (the start of a {@code .conf} file) reads as an Upstart job: its first word
     * that is not in a comment is a stanza Upstart knows, or it has only comments and blank lines (an
     * abstract job). A directory scan asks before taking a {@code .conf} for a job, so that
     * {@code pg_hba.conf} or {@code nginx.conf} beside the jobs is not read as one.
     */
    public static boolean looksLikeJob(String head) {
        for (String line : head.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            int end = 0;
            while (end < t.length() && !Character.isWhitespace(t.charAt(end)) && t.charAt(end) != '#') end++;
            return UpstartStanzas.NAMES.contains(t.substring(0, end));
        }
        return true;
    }

    /**
     * Reads one job.
     *
     * @param file the name to put in positions
     * @param jobName the job's name: its path below the configuration directory without {@code .conf}
     * @param text the file's contents
     * @param overrideFile the {@code .override} file's name, or null when there is none
     * @param overrideText its contents, or null; its stanzas apply after the {@code .conf}'s, and an
     *     override with any error is ignored entirely (as init(5) says), its diagnostics still reported
     * @return one job ({@link Format#UPSTART}, source line 1 column 1 of {@code file}) and the diagnostics,
     *     sorted by position
     */
    public static ReadResult read(String file, String jobName, String text, String overrideFile, String overrideText) {
        String f = file == null ? "<upstart>" : file;
        List<Diagnostic> diagnostics = new ArrayList<>();
        Job.Builder b = Job.builder(name(jobName, f), Format.UPSTART, new Source(f, 1, 1));
        UpstartStanzas.read(f, text == null ? "" : text, b, diagnostics);
        Job job = b.build();
        if (overrideText != null) {
            String of = overrideFile == null ? f.replaceAll("\\.conf$", "") + ".override" : overrideFile;
            List<Diagnostic> found = new ArrayList<>();
            Job.Builder ob = job.toBuilder();
            UpstartStanzas.read(of, overrideText, ob, found);
            if (found.stream().noneMatch(Diagnostic::isError)) {
                job = ob.build();
            } else {
                String why = "because of this error Upstart ignores the whole .override";
                for (int i = 0; i < found.size(); i++) {
                    Diagnostic d = found.get(i);
                    if (!d.isError()) continue;
                    found.set(i, new Diagnostic(d.severity(), d.code(), d.message(), d.source(),
                            d.hint() == null ? why : d.hint() + "; " + why));
                }
            }
            diagnostics.addAll(found);
        }
        // No start condition left means the job only starts by command (U§4 `start on` default).
        job = job.toBuilder().manual(job.startOn() == null).build();
        diagnostics.sort(Diagnostic.ORDER);
        return new ReadResult(List.of(job), diagnostics);
    }

    /** The job name, or one made from the file name when none was given (a job must have a name). */
    private static String name(String jobName, String file) {
        if (jobName != null && !jobName.isEmpty()) return jobName;
        String base = file.substring(file.lastIndexOf('/') + 1).replaceAll("\\.conf$", "");
        return base.isEmpty() ? "job" : base;
    }
}
