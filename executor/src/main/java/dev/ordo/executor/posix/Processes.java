package dev.ordo.executor.posix;

import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jnr.posix.Group;
import jnr.posix.Passwd;

/**
 * The supervisor's children: spawning, reaping, signalling and following them.
 *
 * <p>One reaper thread blocks in {@code waitid(P_ALL, WEXITED|WSTOPPED|WNOWAIT)}; for an exit it takes
 * the table lock, marks the process dead, and only then reaps it. Signals are sent under the same lock
 * and only to processes not marked dead, so a signal can never reach a recycled pid: until the reap the
 * pid is a zombie and cannot be reused (docs/notes/jvm-posix.md §3); pidfds are used as well where the kernel
 * has them. The JVM is made a child subreaper, so orphans of any descendant come here and are reaped,
 * and a main process that forks ({@link Follow#FORK}) or double-forks ({@link Follow#DAEMON}) can be
 * followed to the process it leaves behind.
 *
 * <p>Every event goes to one listener, in order, called with the table lock held: it must only hand the
 * event on (e.g. offer it to a queue). Only one instance may be open in a JVM: two reapers would steal
 * each other's children. Nothing else in the JVM may start processes ({@code ProcessBuilder} loses its
 * exit status to this reaper).
 *
 * <p>This class spawns and is the public face; the table and its lock are {@link ProcessTable}, the
 * reaper thread's loop is {@link Reaper}, and fork counting with ptrace is {@link ForkTracer}.
 */
public final class Processes implements AutoCloseable {

    private static final Object OPEN_GUARD = new Object();
    private static boolean anyOpen;

    static final String TRACE_VAR = "ORDO_TRACE";

    private final ProcessTable table;
    private final ForkTracer tracer;
    private final Trampoline trampoline = new Trampoline();
    private final Ceilings ceilings = Ceilings.ofThisProcess();
    /** The clamps already reported. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Spawner spawner;
    private final NotifySockets notify;
    private final Thread reaper;
    private final int self;
    private final boolean pidfds;
    /** Under the table lock: numbers the trace tokens. */
    private long traces;

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

    /** The cgroups of units' starts, where ordo may make them. */
    private final ControlGroups groups;

    /** The cgroups of units' starts ({@link ControlGroups#active()} says whether ordo makes them here). */
    public ControlGroups groups() {
        return groups;
    }

    private Processes(Path runtimeDir, Consumer<ProcessEvent> listener) throws IOException {
        this.self = Sys.POSIX.getpid();
        this.spawner = new Spawner();
        if (Sys.C.prctl(Sys.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new IOException("prctl(PR_SET_CHILD_SUBREAPER): " + Sys.describe(Sys.errno()));
        }
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, self, 0, 0, 0);
        this.pidfds = fd >= 0;
        if (fd >= 0) Sys.C.close((int) fd);
        this.table = new ProcessTable(self, pidfds, listener);
        this.tracer = new ForkTracer(table);
        this.notify = runtimeDir == null ? null : new NotifySockets(runtimeDir.resolve("notify"), this::notified);
        this.groups = ControlGroups.find(runtimeDir, self == 1);
        Reaper loop = new Reaper(table, tracer);
        this.reaper = new Thread(loop::run, "ordo-reaper");
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
        Ceilings.Clamped clamped = ceilings.clamp(req.resources());
        Resources res = clamped.resources();
        for (String change : clamped.changes()) {
            // Once per program and change, not at every respawn: the same request gets the same answer.
            String line = req.executable() + ": " + change;
            if (warned.add(line)) note(line);
        }
        String program = req.executable();
        Argv.Resolved resolved = Argv.resolve(program, Argv.path(req.env()));
        if (!resolved.found()) return failed(req, resolved.errno(), program + ": " + Sys.describe(resolved.errno()));
        Passwd account = res.user() == null ? null : Sys.POSIX.getpwnam(res.user());
        String home = account != null ? account.getHome() : "/root";
        String cwd = res.chdir() == null ? "/" : res.chdirPath(home);
        Path dir = Path.of(cwd);
        if (!Files.isDirectory(dir)) {
            if (res.chdirOptional()) {
                cwd = "/"; // WorkingDirectory=-PATH: "it's not an error if the directory doesn't exist"
            } else {
                int e = Files.exists(dir) ? 20 /* ENOTDIR */ : Sys.ENOENT;
                return failed(req, e, "working directory " + cwd + ": " + Sys.describe(e));
            }
        }
        if (res.chroot() != null) return failed(req, 0, "chroot is not supported by this executor yet");
        List<String> env = new ArrayList<>(req.env());
        if (account != null) {
            // As systemd.exec(5) says for User=: $USER, $LOGNAME, $HOME and $SHELL are the user's, unless the
            // job's own environment sets them.
            addIfAbsent(env, "USER", account.getLoginName());
            addIfAbsent(env, "LOGNAME", account.getLoginName());
            addIfAbsent(env, "HOME", home);
            addIfAbsent(env, "SHELL", account.getShell());
        }
        if (req.notifyKey() != null) {
            if (notify == null) return failed(req, 0, "no runtime directory for notify sockets");
            try {
                String socket = notify.socketFor(req.notifyKey(), res.user());
                env.removeIf(e -> e.startsWith("NOTIFY_SOCKET="));
                env.add("NOTIFY_SOCKET=" + socket);
            } catch (IOException e) {
                return failed(req, 0, "notify socket: " + e.getMessage());
            }
        }
        boolean listen = !req.fds().fds().isEmpty();
        if (listen) {
            // sd_listen_fds(3): how many, and their names; LISTEN_PID is set by the trampoline, which has the pid.
            env.removeIf(e -> e.startsWith("LISTEN_PID=") || e.startsWith("LISTEN_FDS=") || e.startsWith("LISTEN_FDNAMES="));
            env.add("LISTEN_FDS=" + req.fds().fds().size());
            env.add("LISTEN_FDNAMES=" + String.join(":", req.fds().names()));
        }
        List<String> argv = new ArrayList<>();
        String procs;
        try {
            procs = req.start() == null ? null : groups.procsFor(req.start().unit(), req.start().invocation());
        } catch (IOException e) {
            return failed(req, 0, "cannot make its cgroup: " + e.getMessage());
        }
        String trampolineError = trampoline.build(res, argv, listen, procs);
        if (trampolineError != null) return failed(req, 0, trampolineError);
        boolean seize = req.follow().forks() > 0 && req.follow() != Follow.EXIT && tracer.ptrace;
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
            if (req.program() != null) {
                // systemd's @: argv[0] is not the program. Every hop of the chain execs by path, which names argv[0]
                // after the path; bash's exec -a sets it for the last hop (bash is Essential in Debian).
                String bash = trampoline.tool("bash");
                if (bash == null) return failed(req, 0, "bash not found on the supervisor's PATH (needed for the @ prefix)");
                argv.addAll(List.of(bash, "-c", "exec -a \"$0\" \"$@\"", req.argv().get(0)));
            }
            argv.add(resolved.path());
            argv.addAll(req.argv().subList(1, req.argv().size()));
        }
        table.lock.lock();
        try {
            if (table.closed) return failed(req, 0, "the process table is closed");
            String token = null;
            if (req.follow().forks() > 0) {
                // Survives fork and setsid, unlike session and group: how a daemon's grandchild is recognised.
                token = self + "." + (++traces);
                env.add(TRACE_VAR + "=" + token);
            }
            int rc = spawner.spawn(path, argv, env, cwd, req.stdio(), req.fds());
            if (rc < 0) {
                return failed(req, -rc, "cannot start " + resolved.path() + " in " + cwd + ": " + Sys.describe(-rc));
            }
            int pid = rc;
            ProcStat st = ProcStat.read(pid); // ours and unreaped, so it is there (maybe a zombie)
            long startTime = st == null ? 0 : st.startTime();
            ProcessTable.Lineage lineage = token == null ? null : new ProcessTable.Lineage(token, startTime, req.follow().forks(), pid);
            if (lineage != null) {
                lineage.pidFile = req.follow() == Follow.EXIT ? req.pidFile() : null;
                lineage.awaitingSeize = seize;
                lineage.inferred = !seize;
                if (!seize) table.following.add(lineage);
            }
            table.byPid.put(pid, new ProcessTable.Tracked(pid, startTime, pid, table.openPidfd(pid), lineage));
            table.spawns++;
            table.spawned.signalAll();
            ProcessIdentity id = new ProcessIdentity(pid, startTime);
            table.listener.accept(new ProcessEvent.Launched(req.tag(), pid, id));
            return new SpawnResult.Started(pid, id);
        } finally {
            table.lock.unlock();
        }
    }

    private static void addIfAbsent(List<String> env, String name, String value) {
        if (value == null) return;
        for (String kv : env) if (kv.startsWith(name + "=")) return;
        env.add(name + "=" + value);
    }

    private void note(String text) {
        table.lock.lock();
        try {
            table.listener.accept(new ProcessEvent.Note(text));
        } finally {
            table.lock.unlock();
        }
    }

    private SpawnResult failed(SpawnRequest req, int errno, String reason) {
        return refuse(req.tag(), reason, errno);
    }

    /**
     * A process the caller could not even describe (its environment file is missing): reported as a
     * launch failure of {@code tag}, through the listener like every other outcome.
     */
    public SpawnResult refuse(long tag, String reason) {
        return refuse(tag, reason, 0);
    }

    private SpawnResult refuse(long tag, String reason, int errno) {
        table.lock.lock();
        try {
            table.listener.accept(new ProcessEvent.LaunchFailed(tag, errno, reason));
        } finally {
            table.lock.unlock();
        }
        return new SpawnResult.Failed(errno, reason);
    }


    /** The name of {@code user}'s primary group (from the user database), or null when either is unknown. */
    public static String primaryGroup(String user) {
        Passwd pw = Sys.POSIX.getpwnam(user);
        if (pw == null) return null;
        Group g = Sys.POSIX.getgrgid((int) pw.getGID());
        return g == null ? null : g.getName();
    }

    // ------------------------------------------------------------------------------------------------
    // Signalling (under the table lock: see ProcessTable)

    /**
     * Sends {@code signal} to one tracked process. False, and nothing sent, when the process is not
     * tracked or already ended: a recycled pid is never hit.
     */
    public boolean signal(int pid, Signal signal) {
        return table.signal(pid, signal);
    }

    /**
     * Sends {@code signal} to the process group {@code pgid} ({@code kill(-pgid, sig)}). Only while a
     * process of ours that is not yet reaped is in that group, which keeps the group id from being
     * reused; false (nothing sent) otherwise.
     */
    public boolean signalGroup(int pgid, Signal signal) {
        return table.signalGroup(pgid, signal);
    }

    /** The engine's {@code Kill} effect: a group or one process. */
    public boolean kill(int pid, boolean group, Signal signal) {
        return group ? signalGroup(pid, signal) : signal(pid, signal);
    }

    /**
     * Sends {@code signal} to every process that carries {@code mark} ({@code INVOCATION_ID=...}) in its
     * environment: a unit's processes without cgroups ({@link MarkedProcesses}). How many got it.
     */
    public int signalMarked(String mark, Signal signal) {
        return MarkedProcesses.signal(mark, signal);
    }

    /** SIGCONT to a process that stopped itself ({@code ready: stop}). */
    public boolean resume(int pid) {
        return signal(pid, Signal.CONT);
    }

    /** True while any process, zombies included, is in group {@code pgid} (how escalation knows it is done). */
    public boolean groupAlive(int pgid) {
        return Sys.C.kill(-pgid, 0) == 0 || Sys.errno() == Sys.EPERM;
    }

    /** The identity (pid, start time) of a process spawned or followed here and not yet reaped; else null. */
    public ProcessIdentity identity(int pid) {
        return table.identity(pid);
    }

    /** True while {@code pid} is tracked and not yet ended. */
    public boolean alive(int pid) {
        return table.alive(pid);
    }

    // ------------------------------------------------------------------------------------------------
    // Notify

    private void notified(String key, NotifySockets.Message m) {
        // Under the table lock: a READY=1 sent right after exec must not overtake the Launched event.
        table.lock.lock();
        try {
            for (String line : m.text().split("\n")) {
                if (line.equals("READY=1")) {
                    table.listener.accept(new ProcessEvent.NotifyReady(key, m.sender()));
                } else if (line.startsWith("STATUS=")) {
                    table.listener.accept(new ProcessEvent.NotifyStatus(key, line.substring(7)));
                } else if (line.startsWith("MAINPID=")) {
                    try {
                        table.listener.accept(new ProcessEvent.NotifyMainPid(key, Integer.parseInt(line.substring(8).trim())));
                    } catch (NumberFormatException ignored) {
                        // a malformed MAINPID is ignored, as systemd does
                    }
                }
            }
        } finally {
            table.lock.unlock();
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
        table.lock.lock();
        try {
            if (table.closed) return;
            table.closed = true;
            table.spawned.signalAll();
        } finally {
            table.lock.unlock();
        }
        if (notify != null) notify.close();
        groups.close();
        try {
            reaper.join(100);
            if (reaper.isAlive()) {
                table.lock.lock();
                try {
                    spawner.spawn("/bin/true", List.of("true"), List.of(), "/", Stdio.DISCARD);
                } finally {
                    table.lock.unlock();
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
