/**
 * The engine: the one place where Upstart's and systemd's rules live. Everything else either feeds it
 * (the supervisor's loop, the simulator of the plan and the tests) or shows what it decided.
 *
 * <h2>Shape</h2>
 *
 * <p>{@link dev.ordo.planner.engine.Engine} is a pure state machine: {@link dev.ordo.planner.engine.Input}s go
 * in (a command, a process that was spawned, exited, stopped or forked, a readiness signal, a timer that
 * fired, a reload) and {@link dev.ordo.planner.engine.Effect}s come out, in the order they must be carried out
 * (spawn, signal, arm or cancel a timer, reply, log, a job's state changed, an event emitted). It owns no
 * thread, reads no clock but the {@link dev.ordo.planner.engine.Clock} it is given, and does no I/O. The same
 * inputs at the same clock readings give the same effects, byte for byte, which is what lets the simulator
 * ({@code engine.sim}) replay a boot from a seed and the property tests compare it with the plan.
 *
 * <h2>Goal and state</h2>
 *
 * <p>Each {@link dev.ordo.planner.engine.Instance} of a {@link dev.ordo.planner.engine.JobClass} has a
 * {@link dev.ordo.planner.engine.JobGoal} (start or stop: what is wanted) and a
 * {@link dev.ordo.planner.engine.JobState} (one of Upstart's ten: where it is). A goal changes at once, on a
 * command, an event or a relation; the state follows it one step at a time, each step waiting for what it
 * started (a process, an event) to end. The transition table is Upstart's (U§1.2, docs/notes/upstart.md): from
 * {@code waiting} through {@code starting}, {@code pre-start}, {@code spawned}, {@code post-start} to
 * {@code running}, and back through {@code pre-stop}, {@code stopping}, {@code killed} and {@code post-stop}.
 * A goal reversed half way is honoured at the next step, never by jumping: so every job that saw
 * {@code starting J} also sees {@code stopping J}.
 *
 * <h2>Events that block</h2>
 *
 * <p>An {@link dev.ordo.planner.engine.Event} is queued, then handled: every job whose {@code start on} or
 * {@code stop on} expression it completes (an {@link dev.ordo.planner.engine.Operator} tree per instance, with
 * Upstart's accumulation, first-match-wins and reset rules, U§3.3) changes goal. {@code starting J} and
 * {@code stopping J} block J: J stays in {@code starting} (or {@code stopping}) until every job the event
 * started has come up (a task: has finished) and every job it stopped is at rest; a failed job releases it at
 * once (U§2.2-2.4). {@code started} and {@code stopped} block nothing.
 *
 * <h2>Ordering waits</h2>
 *
 * <p>systemd's {@code After=}/{@code Before=} (ordo's {@code after}/{@code before}) are orderings, not
 * triggers: a job leaving {@code starting} waits for each job it is after that has a pending start, and a job
 * leaving {@code stopping} waits for each job ordered after it that is on its way down (so shutdown runs the
 * boot's order in reverse). {@code requires}/{@code wants} pull jobs in (a start like {@code ordo start}, its
 * own {@code start on} not waited for); {@code requires} with {@code after} also carries failure forward.
 *
 * <h2>Start checks</h2>
 *
 * <p>Once a job may leave {@code starting} for {@code pre-start}, {@link dev.ordo.planner.engine.StartChecks}
 * looks at the start, as systemd's start job does when it runs: a {@link dev.ordo.planner.engine.SkipPolicy}
 * given by the supervisor (the early boot off PID 1, systemd's own clients) may skip it, and a systemd unit's
 * conditions and asserts are tested by the process layer ({@code TestConditions}, answered by
 * {@code ConditionsTested}) and judged here. A skipped start goes on to {@code stopping} without failing and
 * without running anything; those ordered after it go on as if it had started.
 *
 * <h2>Sockets</h2>
 *
 * <p>A systemd socket unit has no main process: {@link dev.ordo.planner.engine.SocketActivation} has it open its
 * sockets in {@code spawned} ({@code OpenSockets}, answered by {@code SocketsOpened}) and close them in
 * {@code killed}; while it is running, traffic ({@code SocketTraffic}) starts its service as a pull-in, and a
 * connection ({@code Connection}) an instance of its per-connection template. Which sockets a process is given
 * is decided here too, as part of its {@code Spawn}.
 *
 * <h2>Boot and settle</h2>
 *
 * <p>The boot is the plan's boot set: until it is over, a job waits for its {@code after} targets among those
 * jobs even before they have started, as the plan orders them. The boot is over once it has been quiet (only
 * jobs at rest, and jobs waiting on events that have not come) for {@link dev.ordo.planner.engine.Engine#BOOT_SETTLE}:
 * a daemon may still emit an event just after it became ready.
 *
 * <h2>Shutdown</h2>
 *
 * <p>A shutdown asks every job to stop, each in its turn: explicit stop relations first ({@code stop on
 * stopping X} stops a job before X is signalled), then the reversed ordering edges; jobs started by the
 * shutdown's own events run, and nothing starts again. The supervisor exits when nothing is left.
 */
package dev.ordo.planner.engine;
