package dev.ordo.executor.posix;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import jnr.ffi.Pointer;
import jnr.posix.Group;
import jnr.posix.Passwd;

/**
 * The supervisor's children: spawning, reaping, signalling and following them.
 *
 * <p>One reaper thread blocks in {@code waitid(P_ALL, WEXITED|WSTOPPED|WNOWAIT)}; for an exit it takes
 * the table lock, marks the process dead, and only then reaps it. Signals are sent under the same lock
 * and only to processes not marked dead, so a signal can never reach a recycled pid: until the reap the
 * pid is a zombie and cannot be reused (notes/jvm-posix.md §3); pidfds are used as well where the kernel
 * has them. The JVM is made a child subreaper, so orphans of any descendant come here and are reaped,
 * and a main process that forks ({@link Follow#FORK}) or double-forks ({@link Follow#DAEMON}) can be
 * followed to the process it leaves behind.
 *
 * <p>Every event goes to one listener, in order, called with the table lock held: it must only hand the
 * event on (e.g. offer it to a queue). Only one instance may be open in a JVM: two reapers would steal
 * each other's children. Nothing else in the JVM may start processes ({@code ProcessBuilder} loses its
 * exit status to this reaper).
 */
public final class Processes implements AutoCloseable {

    private static final Object OPEN_GUARD = new Object();
    private static boolean anyOpen;

    static final String TRACE_VAR = "ORDO_TRACE";
    private static final int MAX_GHOSTS = 64;

    /** A process this table answers for: spawned by it, or followed to from one that was. */
    private static final class Tracked {
        final int pid;
        final long startTime;
        final int pgid;
        final int pidfd;
        final Lineage lineage;
        boolean dead;

        Tracked(int pid, long startTime, int pgid, int pidfd, Lineage lineage) {
            this.pid = pid;
            this.startTime = startTime;
            this.pgid = pgid;
            this.pidfd = pidfd;
            this.lineage = lineage;
        }
    }

    /** A main process being followed through its forks. */
    private static final class Lineage {
        final String token;
        final long startTime;
        /** Pids of the lineage: a process whose session or group is one of these belongs to it. */
        final Set<Integer> ids = new HashSet<>();
        int forksLeft;
        int current;
        /** Spawned behind a self-stop, waiting for the reaper to seize it (forks counted by ptrace). */
        boolean awaitingSeize;
        /** Forks are inferred when the main process exits (no ptrace); see {@link #leftBehind}. */
        boolean inferred;
        /** The ptrace count, once seized; reaper thread only. */
        Trace trace;

        Lineage(String token, long startTime, int forks, int pid) {
            this.token = token;
            this.startTime = startTime;
            this.forksLeft = forks;
            this.current = pid;
            ids.add(pid);
        }
    }

    /**
     * Forks of a lineage counted under ptrace, as Upstart counts them for {@code expect fork|daemon}: only
     * the newest process is followed; at each of its forks the parent is let go and the child followed.
     * Reaper thread only: the tracer is the thread that seized, and it must issue every later request.
     */
    private static final class Trace {
        final Lineage lineage;
        /** The process whose next fork counts. */
        int followed;
        /** Counted forks, {parent, child}, in order. */
        final List<int[]> steps = new ArrayList<>();
        /** Every pid attached to (seized, or auto-attached at a fork). */
        final Set<Integer> tracees = new HashSet<>();
        /** Auto-attached children whose first stop has not been seen yet. */
        final Set<Integer> fresh = new HashSet<>();
        /** Exits of processes already left behind, reported after the Forked steps that explain them. */
        final List<ProcessEvent.Reaped> held = new ArrayList<>();
        boolean done;

        Trace(Lineage lineage, int pid) {
            this.lineage = lineage;
            this.followed = pid;
            tracees.add(pid);
        }
    }

    /** An orphan reaped while something was being followed: it may have been a daemon's middle process. */
    private record Ghost(ProcStat stat) {
    }

    private final Consumer<ProcessEvent> listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition spawned = lock.newCondition();
    private final Map<Integer, Tracked> table = new HashMap<>();
    private final List<Lineage> following = new ArrayList<>();
    private final ArrayDeque<Ghost> ghosts = new ArrayDeque<>();
    /** Reaper thread only: every pid this JVM traces, with the count it belongs to. */
    private final Map<Integer, Trace> traced = new HashMap<>();
    /** Reaper thread only: auto-attached children whose first stop came before their parent's fork event. */
    private final Set<Integer> earlyStops = new HashSet<>();
    /** Whether forks are counted with ptrace; off after the first refusal, or with -Dordo.ptrace=false. */
    private volatile boolean ptrace = !"false".equals(System.getProperty("ordo.ptrace"));
    private final Map<String, String> tools = new java.util.concurrent.ConcurrentHashMap<>();
    private final Spawner spawner;
    private final NotifySockets notify;
    private final Thread reaper;
    private final int self;
    private final boolean pidfds;
    private long spawns;
    private long traces;
    private volatile boolean closed;

    /**
     * Starts loading the native bindings on a daemon thread. jnr-ffi generates them when first used,
     * about 0.4 s on a cold JVM, which {@code ordo run} overlaps with reading and checking the
     * configuration instead of paying after it. A failure here is left to the real start to report.
     */
    public static void preload() {
        Thread t = new Thread(() -> {
            try {
                Class.forName(Sys.class.getName(), true, Processes.class.getClassLoader());
            } catch (Throwable e) {
                // Opening the process table loads them again and says what is wrong.
            }
        }, "ordo-preload");
        t.setDaemon(true);
        t.start();
    }

    private Processes(Path runtimeDir, Consumer<ProcessEvent> listener) throws IOException {
        this.listener = listener;
        this.self = Sys.POSIX.getpid();
        this.spawner = new Spawner();
        if (Sys.C.prctl(Sys.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new IOException("prctl(PR_SET_CHILD_SUBREAPER): " + Sys.describe(Sys.errno()));
        }
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, self, 0, 0, 0);
        this.pidfds = fd >= 0;
        if (fd >= 0) Sys.C.close((int) fd);
        this.notify = runtimeDir == null ? null : new NotifySockets(runtimeDir.resolve("notify"), this::notified);
        this.reaper = new Thread(this::reap, "ordo-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /**
     * Opens the process table: makes this JVM a child subreaper and starts the reaper.
     *
     * @param runtimeDir where notify sockets live (a {@code notify/} directory, mode 0700, is made in
     *     it); null when no job uses {@code ready: notify}
     * @param listener receives every {@link ProcessEvent}, in order, with the table lock held
     * @throws IllegalStateException if another table is open in this JVM
     */
    public static Processes open(Path runtimeDir, Consumer<ProcessEvent> listener) throws IOException {
        synchronized (OPEN_GUARD) {
            if (anyOpen) throw new IllegalStateException("a process table is already open in this JVM");
            Processes p = new Processes(runtimeDir, listener);
            anyOpen = true;
            return p;
        }
    }

    /** Whether signals go through pidfds (Linux 5.3+); without them the WNOWAIT+lock scheme alone is used. */
    public boolean usesPidfds() {
        return pidfds;
    }

    // ------------------------------------------------------------------------------------------------
    // Spawning

    /**
     * Starts a process: resolves its program against the job's PATH, applies its resources, and starts
     * it in a session of its own. The outcome is returned and also sent to the listener
     * ({@link ProcessEvent.Launched} or {@link ProcessEvent.LaunchFailed}) before any later event about it.
     */
    public SpawnResult spawn(SpawnRequest req) {
        Resources res = req.resources();
        String program = req.argv().get(0);
        Command.Resolved resolved = Command.resolve(program, Command.path(req.env()));
        if (!resolved.found()) return failed(req, resolved.errno(), program + ": " + Sys.describe(resolved.errno()));
        String cwd = res.chdir() == null ? "/" : res.chdir();
        Path dir = Path.of(cwd);
        if (!Files.isDirectory(dir)) {
            int e = Files.exists(dir) ? 20 /* ENOTDIR */ : Sys.ENOENT;
            return failed(req, e, "working directory " + cwd + ": " + Sys.describe(e));
        }
        if (res.chroot() != null) return failed(req, 0, "chroot is not supported by this executor yet");
        List<String> env = new ArrayList<>(req.env());
        if (req.notifyKey() != null) {
            if (notify == null) return failed(req, 0, "no runtime directory for notify sockets");
            try {
                String socket = notify.socketFor(req.notifyKey());
                env.removeIf(e -> e.startsWith("NOTIFY_SOCKET="));
                env.add("NOTIFY_SOCKET=" + socket);
            } catch (IOException e) {
                return failed(req, 0, "notify socket: " + e.getMessage());
            }
        }
        List<String> argv = new ArrayList<>();
        String trampolineError = trampoline(res, argv);
        if (trampolineError != null) return failed(req, 0, trampolineError);
        boolean seize = req.follow().forks() > 0 && req.follow() != Follow.EXIT && ptrace;
        if (seize) {
            // The job must not fork before the reaper has seized it, so it starts by stopping itself; the
            // reaper sees the stop, seizes, and continues it. Only exec follows, which forks nothing.
            argv.addAll(0, List.of("/bin/sh", "-c", "kill -STOP $$ && exec \"$@\"", "ordo-trace"));
        }
        String path;
        if (argv.isEmpty()) {
            path = resolved.path();
            argv.addAll(req.argv());
        } else {
            path = argv.get(0);
            argv.add(resolved.path());
            argv.addAll(req.argv().subList(1, req.argv().size()));
        }
        lock.lock();
        try {
            if (closed) return failed(req, 0, "the process table is closed");
            String token = null;
            if (req.follow().forks() > 0) {
                // Survives fork and setsid, unlike session and group: how a daemon's grandchild is recognised.
                token = self + "." + (++traces);
                env.add(TRACE_VAR + "=" + token);
            }
            int rc = spawner.spawn(path, argv, env, cwd, req.stdio());
            if (rc < 0) {
                return failed(req, -rc, "cannot start " + resolved.path() + " in " + cwd + ": " + Sys.describe(-rc));
            }
            int pid = rc;
            ProcStat st = ProcStat.read(pid); // ours and unreaped, so it is there (maybe a zombie)
            long startTime = st == null ? 0 : st.startTime();
            Lineage lineage = token == null ? null : new Lineage(token, startTime, req.follow().forks(), pid);
            if (lineage != null) {
                lineage.awaitingSeize = seize;
                lineage.inferred = !seize;
                if (!seize) following.add(lineage);
            }
            table.put(pid, new Tracked(pid, startTime, pid, openPidfd(pid), lineage));
            spawns++;
            spawned.signalAll();
            ProcessIdentity id = new ProcessIdentity(pid, startTime);
            listener.accept(new ProcessEvent.Launched(req.tag(), pid, id));
            return new SpawnResult.Started(pid, id);
        } finally {
            lock.unlock();
        }
    }

    private SpawnResult failed(SpawnRequest req, int errno, String reason) {
        lock.lock();
        try {
            listener.accept(new ProcessEvent.LaunchFailed(req.tag(), errno, reason));
        } finally {
            lock.unlock();
        }
        return new SpawnResult.Failed(errno, reason);
    }

    private int openPidfd(int pid) {
        if (!pidfds) return -1;
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, pid, 0, 0, 0);
        return fd < 0 ? -1 : (int) fd;
    }

    /**
     * posix_spawn cannot set umask, nice, limits or ids, and setting them after the spawn races with the
     * child's first instructions. So the child starts as a chain of small exec'ing programs that set them
     * on themselves and then exec the job: {@code sh -c 'umask …; exec "$@"'}, {@code nice},
     * {@code prlimit}, {@code setpriv}. Fills {@code argv} with the prefix (empty if none is needed);
     * returns an error text or null.
     */
    private String trampoline(Resources res, List<String> argv) {
        if (res.umask() != null || res.oomScore() != null) {
            StringBuilder s = new StringBuilder();
            if (res.umask() != null) s.append("umask ").append(String.format("%04o", res.umask())).append(" && ");
            if (res.oomScore() != null) s.append("echo ").append((int) res.oomScore()).append(" >/proc/self/oom_score_adj && ");
            s.append("exec \"$@\"");
            // $0 names the trampoline in sh's own error messages.
            argv.addAll(List.of("/bin/sh", "-c", s.toString(), "ordo-setup"));
        }
        if (res.nice() != null) {
            String nice = tool("nice");
            if (nice == null) return "nice not found on the supervisor's PATH (needed for nice:)";
            // The child inherits the spawning thread's niceness; nice(1) adds to it.
            int current = Sys.C.getpriority(0, 0);
            argv.addAll(List.of(nice, "-n", Integer.toString(res.nice() - current)));
        }
        if (!res.limits().isEmpty()) {
            String prlimit = tool("prlimit");
            if (prlimit == null) return "prlimit not found on the supervisor's PATH (util-linux; needed for limits)";
            argv.add(prlimit);
            for (Limit l : res.limits()) {
                if (!Limit.RESOURCES.contains(l.resource())) return "unknown limit: " + l.resource();
                argv.add("--" + l.resource() + "=" + limitValue(l.soft()) + ":" + limitValue(l.hard()));
            }
            argv.add("--");
        }
        if (res.user() != null || res.group() != null) {
            String setpriv = tool("setpriv");
            if (setpriv == null) return "setpriv not found on the supervisor's PATH (util-linux; needed for user:/group:)";
            argv.add(setpriv);
            int gid = -1;
            if (res.user() != null) {
                Passwd pw = Sys.POSIX.getpwnam(res.user());
                if (pw == null) return "unknown user: " + res.user();
                argv.add("--reuid=" + pw.getUID());
                gid = (int) pw.getGID();
            }
            if (res.group() != null) {
                Group gr = Sys.POSIX.getgrnam(res.group());
                if (gr == null) return "unknown group: " + res.group();
                gid = (int) gr.getGID();
            }
            argv.add("--regid=" + gid);
            argv.add(res.user() != null ? "--init-groups" : "--clear-groups");
            argv.add("--");
        }
        return null;
    }

    private static String limitValue(Long v) {
        return v == null ? "unlimited" : Long.toString(v);
    }

    private String tool(String name) {
        return tools.computeIfAbsent(name, n -> {
            String path = System.getenv("PATH");
            Command.Resolved r = Command.resolve(n, path == null ? Command.DEFAULT_PATH : path);
            return r.found() ? r.path() : null;
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Signalling

    /**
     * Sends {@code signal} to one tracked process. False, and nothing sent, when the process is not
     * tracked or already ended: a recycled pid is never hit.
     */
    public boolean signal(int pid, Signal signal) {
        lock.lock();
        try {
            Tracked t = table.get(pid);
            if (t == null || t.dead) return false;
            if (t.pidfd >= 0) return Sys.C.syscall(Sys.SYS_PIDFD_SEND_SIGNAL, t.pidfd, signal.number(), 0, 0) == 0;
            return Sys.C.kill(pid, signal.number()) == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code signal} to the process group {@code pgid} ({@code kill(-pgid, sig)}). Only while a
     * process of ours that is not yet reaped is in that group, which keeps the group id from being
     * reused; false (nothing sent) otherwise.
     */
    public boolean signalGroup(int pgid, Signal signal) {
        lock.lock();
        try {
            if (!pinned(pgid)) return false;
            return Sys.C.kill(-pgid, signal.number()) == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The engine's {@code Kill} effect: a group or one process. */
    public boolean kill(int pid, boolean group, Signal signal) {
        return group ? signalGroup(pid, signal) : signal(pid, signal);
    }

    /** SIGCONT to a process that stopped itself ({@code ready: stop}). */
    public boolean resume(int pid) {
        return signal(pid, Signal.CONT);
    }

    /** True while any process, zombies included, is in group {@code pgid} (how escalation knows it is done). */
    public boolean groupAlive(int pgid) {
        return Sys.C.kill(-pgid, 0) == 0 || Sys.errno() == Sys.EPERM;
    }

    /** True while {@code pid} is tracked and not yet ended. */
    public boolean alive(int pid) {
        lock.lock();
        try {
            Tracked t = table.get(pid);
            return t != null && !t.dead;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: no child of ours can be reaped meanwhile, so a match pins the group id. */
    private boolean pinned(int pgid) {
        // Every spawned process leads its own group: looking it up first spares a scan of the table per
        // signal (a thousand signals at shutdown made that quadratic).
        Tracked leader = table.get(pgid);
        if (leader != null && !leader.dead && leader.pgid == pgid) return true;
        for (Tracked t : table.values()) if (!t.dead && t.pgid == pgid) return true;
        for (int child : children()) {
            ProcStat s = ProcStat.read(child);
            if (s != null && s.pgrp() == pgid) return true;
        }
        return false;
    }

    /** Our direct children, spawned or adopted (/proc/self/task/TID/children lists them per thread). */
    private List<Integer> children() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String text;
                try {
                    text = Files.readString(t.resolve("children"), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // the thread ended meanwhile, or the kernel lacks CONFIG_PROC_CHILDREN
                }
                for (String w : text.trim().split(" ")) if (!w.isEmpty()) out.add(Integer.parseInt(w));
            }
        } catch (IOException e) {
            return scanChildren();
        }
        return out.isEmpty() ? scanChildren() : out;
    }

    private List<Integer> scanChildren() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                int pid = Integer.parseInt(p.getFileName().toString());
                ProcStat s = ProcStat.read(pid);
                if (s != null && s.ppid() == self) out.add(pid);
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable /proc leaves nothing to find
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // Reaping

    private void reap() {
        Pointer info = Sys.allocate(Sys.SIGINFO_SIZE);
        Pointer scratch = Sys.allocate(Sys.SIGINFO_SIZE);
        Pointer traceInfo = Sys.allocate(Sys.SIGINFO_SIZE);
        while (true) {
            long seen;
            lock.lock();
            try {
                seen = spawns;
            } finally {
                lock.unlock();
            }
            info.setMemory(0, Sys.SIGINFO_SIZE, (byte) 0);
            int rc = Sys.C.waitid(Sys.P_ALL, 0, info, Sys.WEXITED | Sys.WSTOPPED | Sys.WNOWAIT);
            if (rc != 0) {
                int e = Sys.errno();
                if (e == Sys.EINTR) continue;
                // ECHILD: no children at all. Park until a spawn (orphans only come from children).
                lock.lock();
                try {
                    while (spawns == seen && !closed) spawned.awaitUninterruptibly();
                    if (closed) return;
                } finally {
                    lock.unlock();
                }
                continue;
            }
            int pid = info.getInt(16);
            int code = info.getInt(8);
            int status = info.getInt(24);
            if (pid <= 0) continue;
            if (code == Sys.CLD_STOPPED || code == Sys.CLD_TRAPPED) {
                // Consume the stop report without reaping (WEXITED not given, so an exit stays pending).
                Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WSTOPPED | Sys.WNOHANG);
                if (traceStop(pid, code, status, traceInfo)) continue;
                lock.lock();
                try {
                    Tracked t = table.get(pid);
                    if (t != null && !t.dead) listener.accept(new ProcessEvent.Halted(pid, Signal.ofNumber(status)));
                } finally {
                    lock.unlock();
                }
            } else if (code == Sys.CLD_EXITED || code == Sys.CLD_KILLED || code == Sys.CLD_DUMPED) {
                ExitStatus st = code == Sys.CLD_EXITED ? ExitStatus.code(status) : ExitStatus.signal(Signal.ofNumber(status));
                traceExited(pid);
                exited(pid, st, scratch);
            } else {
                // CLD_CONTINUED is not asked for; anything else would spin, so reap what we can.
                Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WEXITED | Sys.WNOHANG);
            }
            if (closed) return;
        }
    }

    private void exited(int pid, ExitStatus status, Pointer scratch) {
        Tracked t;
        boolean anyFollowing;
        lock.lock();
        try {
            t = table.get(pid);
            if (t != null) t.dead = true;
            anyFollowing = !following.isEmpty();
        } finally {
            lock.unlock();
        }
        // The zombie keeps its stat until reaped, and only this thread reaps: read what is needed now.
        ProcStat zombie = t == null && anyFollowing ? ProcStat.read(pid) : null;
        Lineage lineage = t == null ? null : t.lineage;
        List<ProcStat> steps = List.of();
        if (lineage != null && lineage.inferred && lineage.current == pid && lineage.forksLeft > 0) steps = leftBehind(lineage);
        // A process the count has moved past (a daemon's first parent) may end before the count is done:
        // its exit waits until the Forked steps have told the listener who the main process is now.
        Trace count = lineage == null ? null : lineage.trace;
        boolean hold = count != null && !count.done && count.followed != pid;
        lock.lock();
        try {
            Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WEXITED | Sys.WNOHANG);
            if (t == null) {
                if (zombie != null) {
                    ghosts.addLast(new Ghost(zombie));
                    if (ghosts.size() > MAX_GHOSTS) ghosts.removeFirst();
                }
                return;
            }
            table.remove(pid);
            if (t.pidfd >= 0) Sys.C.close(t.pidfd);
            if (lineage != null && lineage.current == pid) {
                int from = pid;
                for (ProcStat s : steps) {
                    if (lineage.forksLeft == 0) break;
                    listener.accept(new ProcessEvent.LeftChild(from, s.pid()));
                    lineage.forksLeft--;
                    lineage.ids.add(s.pid());
                    from = s.pid();
                    if (!s.zombie()) {
                        table.put(s.pid(), new Tracked(s.pid(), s.startTime(), s.pgrp(), openPidfd(s.pid()), lineage));
                    }
                }
                lineage.current = from;
                if (lineage.forksLeft == 0 || from == pid) following.remove(lineage);
            }
            if (hold) count.held.add(new ProcessEvent.Reaped(pid, status));
            else listener.accept(new ProcessEvent.Reaped(pid, status));
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a followed process left behind, as fork steps: our children (orphans come to the subreaper)
     * and recently reaped orphans that belong to the lineage, by session or group, by the trace variable
     * in their environment, or as the session leader of one that does. The last step is the oldest live
     * one; a daemon's dead middle process, if seen, is the step before it.
     */
    private List<ProcStat> leftBehind(Lineage lineage) {
        // A middle process caught while exiting has no environment left and its child is not ours yet;
        // once it is a zombie the child is. So an unsure answer is retried for a moment.
        for (int attempt = 0; ; attempt++) {
            boolean[] unsure = {false};
            List<ProcStat> steps = leftBehind(lineage, unsure);
            if (!steps.isEmpty() || !unsure[0] || attempt == 20) return steps;
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return steps;
            }
        }
    }

    private List<ProcStat> leftBehind(Lineage lineage, boolean[] unsure) {
        List<ProcStat> pool = new ArrayList<>();
        lock.lock();
        try {
            for (Ghost g : ghosts) if (g.stat.startTime() >= lineage.startTime) pool.add(g.stat);
        } finally {
            lock.unlock();
        }
        // A child read as a zombie had its own children handed to us before it died, but perhaps after
        // the listing: list again until nothing new turns up.
        Set<Integer> listed = new HashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (int child : children()) {
                if (!listed.add(child) || tracked(child)) continue;
                more = true;
                ProcStat s = ProcStat.read(child);
                if (s != null && s.startTime() >= lineage.startTime) pool.add(s);
            }
        }
        Set<Integer> ids = new HashSet<>(lineage.ids);
        List<ProcStat> mine = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ProcStat s : pool) {
                if (mine.contains(s)) continue;
                boolean belongs = ids.contains(s.session()) || ids.contains(s.pgrp())
                        || (!s.zombie() && hasToken(s.pid(), lineage.token, unsure));
                if (!belongs) {
                    for (ProcStat m : mine) if (m.session() == s.pid() || m.pgrp() == s.pid()) belongs = true;
                }
                if (belongs) {
                    mine.add(s);
                    ids.add(s.pid());
                    changed = true;
                }
            }
        }
        Comparator<ProcStat> age = Comparator.comparingLong(ProcStat::startTime).thenComparingInt(ProcStat::pid);
        // Ghosts were read as zombies, so zombie() is true for every dead candidate.
        ProcStat live = mine.stream().filter(s -> !s.zombie()).min(age).orElse(null);
        if (live == null) {
            for (ProcStat s : pool) if (s.zombie() && !mine.contains(s)) unsure[0] = true;
            return List.of();
        }
        if (lineage.forksLeft >= 2) {
            ProcStat middle = mine.stream().filter(s -> s.zombie() && age.compare(s, live) <= 0)
                    .max(age).orElse(null);
            if (middle != null) return List.of(middle, live);
        }
        return List.of(live);
    }

    private boolean tracked(int pid) {
        lock.lock();
        try {
            return table.containsKey(pid);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the process's initial environment has the trace; an empty one (exiting) makes it unsure. */
    private static boolean hasToken(int pid, String token, boolean[] unsure) {
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "environ"));
        } catch (IOException e) {
            unsure[0] = true;
            return false;
        }
        if (env.length == 0) unsure[0] = true;
        byte[] want = (TRACE_VAR + "=" + token).getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int start = 0; start + want.length <= env.length; ) {
            for (int i = 0; i < want.length; i++) {
                if (env[start + i] != want[i]) {
                    int nul = indexOf(env, (byte) 0, start);
                    if (nul < 0) break outer;
                    start = nul + 1;
                    continue outer;
                }
            }
            if (start + want.length == env.length || env[start + want.length] == 0) return true;
            int nul = indexOf(env, (byte) 0, start);
            if (nul < 0) break;
            start = nul + 1;
        }
        return false;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }

    // ------------------------------------------------------------------------------------------------
    // Counting forks (ptrace, reaper thread only)

    /**
     * Handles a stop that belongs to fork counting: the self-stop of a main process waiting to be seized,
     * or any ptrace stop of a tracee. False for other stops, which are reported as {@link ProcessEvent.Halted}.
     */
    private boolean traceStop(int pid, int code, int status, Pointer info) {
        Trace tr = traced.get(pid);
        if (tr == null) {
            if (code == Sys.CLD_TRAPPED) {
                // Only an auto-attached child can be traced but unknown: its parent's fork event names it soon.
                earlyStops.add(pid);
                return true;
            }
            Lineage l = awaitingSeize(pid);
            if (l == null) return false;
            seize(pid, l);
            return true;
        }
        int event = 0;
        int sig = status & 0x7f;
        info.setMemory(0, Sys.SIGINFO_SIZE, (byte) 0);
        if (Sys.C.ptrace(Sys.PTRACE_GETSIGINFO, pid, 0, info.address()) == 0) {
            // An event stop reports si_code = SIGTRAP-or-stop-signal | event << 8; a signal's own si_code is
            // small or negative.
            int siCode = info.getInt(8);
            if (siCode > 0xff) {
                event = siCode >> 8;
                sig = siCode & 0x7f;
            }
        } else {
            event = Sys.PTRACE_EVENT_STOP; // a group-stop without siginfo
        }
        if (event == Sys.PTRACE_EVENT_FORK || event == Sys.PTRACE_EVENT_VFORK) {
            forked(tr, pid, info);
        } else if (event == Sys.PTRACE_EVENT_STOP) {
            tr.fresh.remove(pid);
            if (tr.done) release(tr, pid, 0);
            else if (sig == Sys.SIGTRAP) Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
            // A group-stop (SIGSTOP from someone): stay stopped, but hear of the SIGCONT.
            else Sys.C.ptrace(Sys.PTRACE_LISTEN, pid, 0, 0);
        } else if (event != 0) {
            if (tr.done) release(tr, pid, 0);
            else Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
        } else {
            // A signal on its way to the tracee: deliver it, as if nobody were watching.
            if (tr.done) release(tr, pid, sig);
            else Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, sig);
        }
        return true;
    }

    /** A tracee forked: the child is attached already (and stops first thing); count if it is the followed one. */
    private void forked(Trace tr, int pid, Pointer info) {
        info.setMemory(0, 8, (byte) 0);
        if (Sys.C.ptrace(Sys.PTRACE_GETEVENTMSG, pid, 0, info.address()) != 0) {
            Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
            return;
        }
        int child = (int) info.getLong(0);
        traced.put(child, tr);
        tr.tracees.add(child);
        tr.fresh.add(child);
        if (!tr.done && pid == tr.followed) {
            tr.steps.add(new int[] {pid, child});
            tr.followed = child;
            // As Upstart: the parent's later forks do not count, so it is let go at once.
            release(tr, pid, 0);
            if (tr.steps.size() >= tr.lineage.forksLeft) settle(tr);
        } else if (tr.done) {
            release(tr, pid, 0);
        } else {
            Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
        }
        if (earlyStops.remove(child)) {
            tr.fresh.remove(child);
            if (tr.done) release(tr, child, 0);
            else Sys.C.ptrace(Sys.PTRACE_CONT, child, 0, 0);
        }
    }

    private Lineage awaitingSeize(int pid) {
        lock.lock();
        try {
            Tracked t = table.get(pid);
            return t != null && !t.dead && t.lineage != null && t.lineage.awaitingSeize ? t.lineage : null;
        } finally {
            lock.unlock();
        }
    }

    /** The main process stopped itself: attach to it, then let it run on. */
    private void seize(int pid, Lineage l) {
        long rc = Sys.C.ptrace(Sys.PTRACE_SEIZE, pid, 0, Sys.PTRACE_O_TRACEFORK | Sys.PTRACE_O_TRACEVFORK);
        int errno = rc == 0 ? 0 : Sys.errno();
        lock.lock();
        try {
            l.awaitingSeize = false;
            if (rc == 0) {
                Trace tr = new Trace(l, pid);
                l.trace = tr;
                traced.put(pid, tr);
            } else if (errno != Sys.ESRCH) {
                // No ptrace here (seccomp, a container without it, Yama): infer the forks as before.
                l.inferred = true;
                following.add(l);
                if (ptrace) {
                    ptrace = false;
                    listener.accept(new ProcessEvent.Note("ready: fork/daemon: cannot trace forks (ptrace: "
                            + Sys.describe(errno) + "); forks are inferred when the main process exits, which misses"
                            + " a daemon whose first child is reaped by its parent"));
                }
            }
        } finally {
            lock.unlock();
        }
        // It is our unreaped child, so the pid cannot have been reused.
        Sys.C.kill(pid, Sys.SIGCONT);
    }

    /** The count is complete (or can never be): tell the listener, and let every traced process go. */
    private void settle(Trace tr) {
        tr.done = true;
        Lineage lineage = tr.lineage;
        lock.lock();
        try {
            for (int[] step : tr.steps) {
                listener.accept(new ProcessEvent.LeftChild(step[0], step[1]));
                lineage.ids.add(step[1]);
            }
            if (!tr.steps.isEmpty()) {
                int last = tr.steps.get(tr.steps.size() - 1)[1];
                lineage.current = last;
                if (!table.containsKey(last)) {
                    ProcStat s = ProcStat.read(last);
                    table.put(last, new Tracked(last, s == null ? 0 : s.startTime(), s == null ? last : s.pgrp(),
                            openPidfd(last), lineage));
                }
            }
            lineage.forksLeft = 0;
            for (ProcessEvent.Reaped x : tr.held) listener.accept(x);
            tr.held.clear();
        } finally {
            lock.unlock();
        }
        for (int p : new ArrayList<>(tr.tracees)) {
            // Fresh children stop on their own; anything running is made to stop, and let go when it does.
            if (!tr.fresh.contains(p)) Sys.C.ptrace(Sys.PTRACE_INTERRUPT, p, 0, 0);
        }
    }

    private void release(Trace tr, int pid, int sig) {
        Sys.C.ptrace(Sys.PTRACE_DETACH, pid, 0, sig);
        traced.remove(pid);
        tr.tracees.remove(pid);
        tr.fresh.remove(pid);
    }

    /** A traced process ended. If it was the followed one, fewer forks came than expected: settle. */
    private void traceExited(int pid) {
        earlyStops.remove(pid);
        Trace tr = traced.remove(pid);
        if (tr == null) return;
        tr.tracees.remove(pid);
        tr.fresh.remove(pid);
        if (!tr.done && pid == tr.followed) settle(tr);
    }

    // ------------------------------------------------------------------------------------------------
    // Notify

    private void notified(String key, NotifySockets.Message m) {
        // Under the table lock: a READY=1 sent right after exec must not overtake the Launched event.
        lock.lock();
        try {
            for (String line : m.text().split("\n")) {
                if (line.equals("READY=1")) {
                    listener.accept(new ProcessEvent.NotifyReady(key, m.sender()));
                } else if (line.startsWith("STATUS=")) {
                    listener.accept(new ProcessEvent.NotifyStatus(key, line.substring(7)));
                } else if (line.startsWith("MAINPID=")) {
                    try {
                        listener.accept(new ProcessEvent.NotifyMainPid(key, Integer.parseInt(line.substring(8).trim())));
                    } catch (NumberFormatException ignored) {
                        // a malformed MAINPID is ignored, as systemd does
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes {@code key}'s notify socket (its job is gone for good). */
    public void releaseNotify(String key) {
        if (notify != null) notify.release(key);
    }

    /**
     * Stops the reaper and the notify receiver. Children still running are left running; the reaper is
     * woken by a throwaway {@code /bin/true} if it is blocked on live children.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            spawned.signalAll();
        } finally {
            lock.unlock();
        }
        if (notify != null) notify.close();
        try {
            reaper.join(100);
            if (reaper.isAlive()) {
                lock.lock();
                try {
                    spawner.spawn("/bin/true", List.of("true"), List.of(), "/", Stdio.DISCARD);
                } finally {
                    lock.unlock();
                }
                reaper.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (OPEN_GUARD) {
            anyOpen = false;
        }
    }
}
