package dev.ordo.executor.cli;

import dev.ordo.executor.control.ControlClient;
import dev.ordo.executor.control.ControlReply;
import dev.ordo.executor.control.ControlRequest;
import dev.ordo.planner.engine.Input;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that talk to a running supervisor through its control socket (docs/control.md). They
 * load the JDK, picocli and jackson-core only: never the process layer, so they start fast.
 */
final class ClientCommands {

    /** Exit status when the supervisor answered that the command failed. */
    static final int FAILED = 1;
    /** LSB: the program is not running (stopped, failed, or not yet up). */
    static final int NOT_RUNNING = 3;
    /** LSB: the status is unknown: no such job or instance. */
    static final int UNKNOWN = 4;

    private ClientCommands() {
    }

    /** The common part: find the supervisor, send one request, print the answer. */
    abstract static class Client implements Callable<Integer> {

        @Mixin
        StateDirOption stateDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The request to send, or null after printing a usage error. */
        abstract ControlRequest request(PrintWriter err);

        /** {@code --format json}, for the commands that have the option. */
        boolean json() {
            return false;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ControlRequest request = request(err);
            if (request == null) return Main.USAGE;
            if (json()) request = request.asJson();
            Path dir = stateDir.resolve();
            ControlReply reply;
            try (ControlClient c = ControlClient.connect(ControlClient.socketIn(dir))) {
                reply = c.call(request, line -> {
                    out.println(line);
                    out.flush();
                });
            } catch (ControlClient.NoSupervisor e) {
                Integer offline = withoutSupervisor(dir, out, err);
                if (offline != null) return offline;
                err.println("ordo: no supervisor at " + dir + " (is `ordo run` running?)");
                return Main.USAGE;
            } catch (ControlClient.RequestRefused e) {
                // Nothing was done: as with no supervisor, the command could not be asked (exit 2).
                err.println("ordo: " + e.getMessage());
                return Main.USAGE;
            } catch (IOException e) {
                err.println("ordo: cannot talk to the supervisor at " + dir + ": " + message(e));
                return Main.USAGE;
            }
            if (reply.kind() == ControlReply.ReplyKind.OK) {
                if (!reply.text().isEmpty()) out.println(reply.text());
                out.flush();
            } else {
                err.println("ordo: " + reply.text());
            }
            return status(request, reply);
        }

        /** What the command does when no supervisor runs at {@code dir}: null to say so and exit 2. */
        Integer withoutSupervisor(Path dir, PrintWriter out, PrintWriter err) {
            return null;
        }

        /** The exit status for the supervisor's answer: 0 when it did it, 1 when it could not. */
        int status(ControlRequest request, ControlReply reply) {
            return reply.kind() == ControlReply.ReplyKind.OK ? 0 : FAILED;
        }

        private static String message(IOException e) {
            String m = e.getMessage();
            return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
        }
    }

    /** The job instance this command runs inside, from the environment the supervisor gives its jobs. */
    static Input.Caller caller() {
        String job = System.getenv("UPSTART_JOB");
        if (job == null || job.isEmpty()) return null;
        String instance = System.getenv("UPSTART_INSTANCE");
        return new Input.Caller(job, instance == null ? "" : instance);
    }

    /** {@code start|stop|restart [JOB] [K=V...] [--no-wait]}. */
    abstract static class JobCommand extends Client {

        @Parameters(arity = "0..*", paramLabel = "JOB [K=V...]",
                description = "The job, then its environment (which also picks the instance). Inside a job, the job"
                        + " itself when left out.")
        List<String> args = new ArrayList<>();

        @Option(names = "--no-wait", description = "Answer once the goal has changed; do not wait for the job to be at rest.")
        boolean noWait;

        @Mixin
        ReplyFormatOption format;

        @Override
        boolean json() {
            return format.json();
        }

        abstract ControlRequest.Cmd cmd();

        @Override
        ControlRequest request(PrintWriter err) {
            boolean named = !args.isEmpty() && !args.get(0).contains("=");
            Input.Caller caller = caller();
            if (!named && caller == null) {
                err.println("ordo: " + cmd().word() + " needs a JOB (it is left out only inside a job)");
                return null;
            }
            String job = named ? args.get(0) : null;
            List<String> env = named ? args.subList(1, args.size()) : args;
            return new ControlRequest(1, cmd(), job, null, env, !noWait, false, -1, caller);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Start a job and wait until it is running (a task: done), unless --no-wait.")
    static final class StartCommand extends JobCommand {
        @Override
        ControlRequest.Cmd cmd() {
            return ControlRequest.Cmd.START;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Stop a job and wait until it has stopped, unless --no-wait.")
    static final class StopCommand extends JobCommand {
        @Override
        ControlRequest.Cmd cmd() {
            return ControlRequest.Cmd.STOP;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Stop a job and start it again, and wait until it is running, unless --no-wait.")
    static final class RestartCommand extends JobCommand {
        @Override
        ControlRequest.Cmd cmd() {
            return ControlRequest.Cmd.RESTART;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show a job's goal, state and processes; without JOB (outside a job), every job's.")
    static final class StatusCommand extends Client {

        @Parameters(arity = "0..*", paramLabel = "JOB [K=V...]",
                description = "The job, then the environment that picks its instance.")
        List<String> args = new ArrayList<>();

        @Mixin
        ReplyFormatOption format;

        @Override
        boolean json() {
            return format.json();
        }

        @Override
        ControlRequest request(PrintWriter err) {
            boolean named = !args.isEmpty() && !args.get(0).contains("=");
            Input.Caller caller = caller();
            if (!named && caller == null) {
                if (!args.isEmpty()) {
                    err.println("ordo: status needs a JOB before its K=V arguments");
                    return null;
                }
                return ControlRequest.of(1, ControlRequest.Cmd.LIST, null);
            }
            String job = named ? args.get(0) : null;
            List<String> env = named ? args.subList(1, args.size()) : args;
            return new ControlRequest(1, ControlRequest.Cmd.STATUS, job, null, env, true, false, -1, caller);
        }

        /**
         * LSB's status codes, as {@code systemctl status} gives them, for scripts: 0 when every instance
         * shown is running, 3 when one is not (stopped, failed, on its way), 4 when there is no such job or
         * instance. The list of every job is a listing, not a status: 0.
         */
        @Override
        int status(ControlRequest request, ControlReply reply) {
            if (request.cmd() == ControlRequest.Cmd.LIST) return super.status(request, reply);
            if (reply.kind() != ControlReply.ReplyKind.OK) {
                return reply.text().startsWith("Unknown job") || reply.text().startsWith("Unknown instance") ? UNKNOWN : FAILED;
            }
            if (request.json()) {
                // A string value holds a quote only escaped, so this is a field, never part of a name.
                return reply.text().contains("\"running\":true") && !reply.text().contains("\"running\":false") ? 0 : NOT_RUNNING;
            }
            List<String> lines = reply.text().lines().filter(l -> !l.isBlank()).toList();
            boolean running = !lines.isEmpty() && lines.stream().allMatch(l -> l.contains(" start/running"));
            return running ? 0 : NOT_RUNNING;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every job with its status.")
    static final class ListCommand extends Client {
        @Mixin
        ReplyFormatOption format;

        @Override
        boolean json() {
            return format.json();
        }

        @Override
        ControlRequest request(PrintWriter err) {
            return ControlRequest.of(1, ControlRequest.Cmd.LIST, null);
        }
    }

    @Command(name = "emit", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Emit an event and wait until every job it started or stopped is at rest, unless --no-wait.")
    static final class EmitCommand extends Client {

        @Parameters(index = "0", paramLabel = "EVENT")
        String event;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "K=V", description = "The event's environment.")
        List<String> env = new ArrayList<>();

        @Option(names = "--no-wait", description = "Answer at once; do not wait for the event to be finished.")
        boolean noWait;

        @Mixin
        ReplyFormatOption format;

        @Override
        boolean json() {
            return format.json();
        }

        @Override
        ControlRequest request(PrintWriter err) {
            return new ControlRequest(1, ControlRequest.Cmd.EMIT, event, null, env, !noWait, false, -1, null);
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = {"Read the configuration again and apply it: new jobs become known, removed jobs are stopped,"
                    + " running jobs keep their old definition until restarted. A configuration with errors is"
                    + " refused and the running one kept.",
                "With JOB: send the job's main process its reload signal (`kill.reload`, SIGHUP by default),"
                    + " as Upstart's `initctl reload JOB`."})
    static final class ReloadCommand extends Client {

        @Parameters(arity = "0..*", paramLabel = "JOB [K=V...]",
                description = "The job, then the environment that picks its instance.")
        List<String> args = new ArrayList<>();

        @Override
        ControlRequest request(PrintWriter err) {
            if (args.isEmpty()) return ControlRequest.of(1, ControlRequest.Cmd.RELOAD, null);
            if (args.get(0).contains("=")) {
                err.println("ordo: reload needs a JOB before its K=V arguments");
                return null;
            }
            return new ControlRequest(1, ControlRequest.Cmd.RELOAD, args.get(0), null, args.subList(1, args.size()), true, false, -1, null);
        }
    }

    @Command(name = "shutdown", mixinStandardHelpOptions = true,
            description = "Stop every job in the shutdown order, then the supervisor.")
    static final class ShutdownCommand extends Client {
        @Override
        ControlRequest request(PrintWriter err) {
            return ControlRequest.of(1, ControlRequest.Cmd.SHUTDOWN, null);
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print a job's log (console: log), from its rotated files on; with -f, go on printing"
                    + " what it writes until interrupted.")
    static final class LogCommand extends Client {

        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Option(names = {"-i", "--instance"}, paramLabel = "NAME", description = "The instance (default: the singleton).")
        String instance;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N lines.")
        Integer lines;

        @Option(names = {"-f", "--follow"}, description = "Go on printing new lines.")
        boolean follow;

        @Override
        ControlRequest request(PrintWriter err) {
            if (lines != null && lines < 0) {
                err.println("ordo: --lines must be 0 or more");
                return null;
            }
            return new ControlRequest(1, ControlRequest.Cmd.LOG, job, instance, List.of(), true, follow,
                    lines == null ? -1 : lines, null);
        }

        /** The logs outlive the supervisor: read the files (kept in a class of its own, like the runtime). */
        @Override
        Integer withoutSupervisor(Path dir, PrintWriter out, PrintWriter err) {
            return OfflineLog.print(dir, job, instance == null ? "" : instance, lines == null ? -1 : lines, follow, out, err);
        }
    }
}
