package dev.ordo.executor.posix;

/**
 * Signal dispositions of this JVM. A shell starts background and {@code nohup} commands with INT (and
 * HUP) ignored, and the JVM then refuses to handle them: {@code sun.misc.Signal.handle} sees SIG_IGN,
 * installs nothing and says nothing (docs/notes/jvm-posix.md §9). Putting the default back first makes the
 * handler stick.
 */
public final class Dispositions {

    private Dispositions() {
    }

    /**
     * Sets {@code signal} back to SIG_DFL. Call it just before installing a Java handler for it: in
     * between, the signal has its default effect (for INT, HUP and TERM: the JVM ends).
     *
     * @return false if libc refused (an invalid or uncatchable signal)
     */
    public static boolean resetSignal(int signal) {
        // SIG_ERR is (void (*)()) -1.
        return Sys.C.signal(signal, 0) != -1;
    }
}
