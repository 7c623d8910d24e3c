package dev.ordo.planner.config.systemd;

import dev.ordo.planner.model.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Parsers for the value syntaxes of unit files; each failure is an IllegalArgumentException with a message for people. */
final class UnitValues {

    private UnitValues() {
    }

    /** A word of a list value and where it starts in the value. */
    record Word(String text, int offset) {
    }

    /**
     * Splits a list on whitespace. With {@code unquote}, single and double quotes group and C escapes are
     * undone (extract_first_word with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, as Environment= uses); without,
     * quotes and backslashes are kept as written (as unit lists are read).
     */
    static List<Word> words(String value, boolean unquote) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(value.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = value.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) break;
                if (unquote && quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                    i++;
                    continue;
                }
                if (unquote && c == quote) {
                    quote = 0;
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < n) {
                    if (!unquote) {
                        w.append(c).append(value.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    i = unescape(value, i, w);
                    continue;
                }
                w.append(c);
                i++;
            }
            if (quote != 0) throw new IllegalArgumentException("unbalanced quote " + quote + " in: " + value);
            out.add(new Word(w.toString(), start));
        }
        return out;
    }

    /** Appends the C escape at {@code i} (a backslash) to {@code w}; returns the index after it. */
    private static int unescape(String s, int i, StringBuilder w) {
        char e = s.charAt(i + 1);
        switch (e) {
            case 'n' -> w.append('\n');
            case 't' -> w.append('\t');
            case 'r' -> w.append('\r');
            case 'a' -> w.append('\u0007');
            case 'b' -> w.append('\b');
            case 'f' -> w.append('\f');
            case 'v' -> w.append('\u000b');
            case 's' -> w.append(' ');
            case 'x' -> {
                if (i + 3 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0
                        && Character.digit(s.charAt(i + 3), 16) >= 0) {
                    w.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    return i + 4;
                }
                throw new IllegalArgumentException("bad \\x escape in: " + s);
            }
            default -> w.append(e);
        }
        return i + 2;
    }

    /** parse_boolean(): 1/yes/y/true/t/on and 0/no/n/false/f/off, any case. */
    static boolean bool(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on":
                return true;
            case "0", "no", "n", "false", "f", "off":
                return false;
            default:
                throw new IllegalArgumentException("not a boolean: `" + v + "` (use yes or no)");
        }
    }

    /** Exit status names systemd knows (`systemd-analyze exit-status`, systemd 252). */
    static final Map<String, Integer> EXIT_NAMES = exitNames();

    private static Map<String, Integer> exitNames() {
        String table = "SUCCESS 0 FAILURE 1 INVALIDARGUMENT 2 NOTIMPLEMENTED 3 NOPERMISSION 4 NOTINSTALLED 5 "
                + "NOTCONFIGURED 6 NOTRUNNING 7 USAGE 64 DATAERR 65 NOINPUT 66 NOUSER 67 NOHOST 68 UNAVAILABLE 69 "
                + "SOFTWARE 70 OSERR 71 OSFILE 72 CANTCREAT 73 IOERR 74 TEMPFAIL 75 PROTOCOL 76 NOPERM 77 CONFIG 78 "
                + "CHDIR 200 NICE 201 FDS 202 EXEC 203 MEMORY 204 LIMITS 205 OOM_ADJUST 206 SIGNAL_MASK 207 STDIN 208 "
                + "STDOUT 209 CHROOT 210 IOPRIO 211 TIMERSLACK 212 SECUREBITS 213 SETSCHEDULER 214 CPUAFFINITY 215 "
                + "GROUP 216 USER 217 CAPABILITIES 218 CGROUP 219 SETSID 220 CONFIRM 221 STDERR 222 PAM 224 NETWORK 225 "
                + "NAMESPACE 226 NO_NEW_PRIVILEGES 227 SECCOMP 228 SELINUX_CONTEXT 229 PERSONALITY 230 APPARMOR 231 "
                + "ADDRESS_FAMILIES 232 RUNTIME_DIRECTORY 233 CHOWN 235 SMACK_PROCESS_LABEL 236 KEYRING 237 "
                + "STATE_DIRECTORY 238 CACHE_DIRECTORY 239 LOGS_DIRECTORY 240 CONFIGURATION_DIRECTORY 241 "
                + "NUMA_POLICY 242 CREDENTIALS 243 BPF 244 EXCEPTION 255";
        String[] t = table.split(" ");
        Map<String, Integer> m = new TreeMap<>();
        for (int i = 0; i < t.length; i += 2) m.put(t[i], Integer.parseInt(t[i + 1]));
        return m;
    }

    /** An exit code (0 to 255), an exit status name ({@code DATAERR}) or a signal ({@code SIGKILL}). */
    static ExitStatus exitStatus(String w) {
        Integer named = EXIT_NAMES.get(w);
        if (named != null) return ExitStatus.code(named);
        try {
            return ExitStatus.parse(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + w + "` is not an exit code (0 to 255), an exit status name such "
                    + "as DATAERR, or a signal such as SIGKILL");
        }
    }

    /** An integer in [min, max]. */
    static int integer(String v, int min, int max, String what) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " `" + v + "` is not a whole number from " + min + " to " + max);
        }
    }

    /** A file mode creation mask in octal, 0 to 07777. */
    static int umask(String v) {
        try {
            int n = Integer.parseInt(v.trim(), 8);
            if (n < 0 || n > 07777) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("umask `" + v + "` is not an octal mode such as 0022");
        }
    }

    /** A size with an optional binary suffix (K, M, G, T, P, E; 1024-based), or {@code infinity} (null). */
    static Long size(String v) {
        String t = v.trim();
        if (t.equals("infinity")) return null;
        long mult = 1;
        if (!t.isEmpty()) {
            char last = Character.toUpperCase(t.charAt(t.length() - 1));
            int p = "KMGTPE".indexOf(last);
            if (p >= 0) {
                mult = 1L << (10 * (p + 1));
                t = t.substring(0, t.length() - 1);
            } else if (last == 'B') {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("`" + v + "` is not a number, a size such as 64K, or infinity");
        }
    }
}
