package dev.ordo.executor.runtime;

/**
 * One process's output on its way into its job's log ({@code console: log}): cut into records for the
 * {@link JobLog} (whole lines with their newline, and {@value JobLog#MAX_LINE}-byte pieces of longer ones),
 * as s6-log takes its input line by line. Whole lines go on at once; an unfinished one is held until its
 * newline, until the process is quiet for a moment ({@link #quiet}), or until the output ends, so that a
 * rotation falls between lines. A last line left unfinished is ended with a newline, as s6-log and svlogd
 * end it, so that the next process's output starts a line of its own. Each process has its own stream: two
 * processes of one instance writing at the same time never mix inside a line.
 */
final class LogStream implements OutputSink {

    private static final byte[] NEWLINE = {'\n'};

    private final JobLog log;
    private final byte[] held = new byte[JobLog.MAX_LINE];
    private int heldLength;
    /** Whether what was written last ended inside a line (an unfinished one written when the process went quiet). */
    private boolean inLine;
    private boolean closed;

    /** @param log the instance's log, acquired for this stream; released when the stream closes */
    LogStream(JobLog log) {
        this.log = log;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (closed) return;
        int end = off + len;
        int i = off;
        if (heldLength > 0) {
            // The rest of the held line first.
            int nl = i;
            while (nl < end && b[nl] != '\n') nl++;
            int stop = nl < end ? nl + 1 : end;
            while (i < stop) {
                int take = Math.min(stop - i, JobLog.MAX_LINE - heldLength);
                System.arraycopy(b, i, held, heldLength, take);
                heldLength += take;
                i += take;
                if (heldLength == JobLog.MAX_LINE) flushHeld();
            }
            if (nl < end) flushHeld();
        }
        // Whole lines in runs, in one append each; a line that reaches the longest record is cut there.
        int runStart = i;
        int lineStart = i;
        for (; i < end; i++) {
            if (b[i] == '\n') {
                lineStart = i + 1;
            } else if (i + 1 - lineStart == JobLog.MAX_LINE) {
                if (lineStart > runStart) append(b, runStart, lineStart - runStart);
                append(b, lineStart, JobLog.MAX_LINE);
                lineStart = i + 1;
                runStart = lineStart;
            }
        }
        if (lineStart > runStart) append(b, runStart, lineStart - runStart);
        System.arraycopy(b, lineStart, held, heldLength, end - lineStart);
        heldLength += end - lineStart;
    }

    private void flushHeld() {
        if (heldLength == 0) return;
        append(held, 0, heldLength);
        heldLength = 0;
    }

    private void append(byte[] b, int off, int len) {
        log.append(b, off, len);
        inLine = b[off + len - 1] != '\n';
    }

    /** The process has been quiet for a moment: an unfinished line goes to the file as it is. */
    @Override
    public synchronized void quiet() {
        flushHeld();
    }

    /** The end of the output: a last unfinished line is written and ended, and the stream lets go of the log. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            // Ended with its newline in the same record (the held line is shorter than the longest record).
            if (heldLength > 0) held[heldLength++] = '\n';
            flushHeld();
            if (inLine) append(NEWLINE, 0, 1);
        }
        log.release();
    }
}
