package dev.ordo.executor.posix;

import java.util.List;

/**
 * What a process is given of socket units besides its output (sd_listen_fds(3)): {@code fds} become its fds 3,
 * 4, ... (not close-on-exec), with {@code LISTEN_FDS}, {@code LISTEN_FDNAMES} and {@code LISTEN_PID} its own pid;
 * a connection may also be its standard input, output or error (systemd.exec(5) {@code StandardInput=socket}).
 *
 * @param fds the supervisor's descriptors, in order
 * @param names one name per descriptor, for {@code LISTEN_FDNAMES}
 * @param stdin a descriptor for fd 0, or -1 for /dev/null
 * @param stdout a descriptor for fd 1, or -1 for the request's {@link Stdio}
 * @param stderr a descriptor for fd 2, or -1: the request's {@link Stdio}, or stdout's descriptor when that is one
 *     and {@code stderrFollows}
 */
public record PassedFds(List<Integer> fds, List<String> names, int stdin, int stdout, int stderr, boolean stderrFollows) {

    public static final PassedFds NONE = new PassedFds(List.of(), List.of(), -1, -1, -1, false);

    public PassedFds {
        fds = List.copyOf(fds);
        names = List.copyOf(names);
        if (names.size() != fds.size()) throw new IllegalArgumentException("one name per descriptor");
    }

    public boolean none() {
        return fds.isEmpty() && stdin < 0 && stdout < 0 && stderr < 0;
    }
}
