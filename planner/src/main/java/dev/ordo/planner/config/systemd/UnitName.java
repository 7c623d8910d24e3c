package dev.ordo.planner.config.systemd;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * systemd unit names: {@code prefix[@instance].type} (systemd.unit(5), "Description"; unit-name.c). A
 * template has an empty instance ({@code getty@.service}); an instance has one ({@code getty@tty1.service}).
 */
final class UnitName {

    /** Unit types in the order systemd.unit(5) lists them. */
    static final List<String> TYPES = List.of(
            "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope");

    private static final int MAX_LENGTH = 255;

    private UnitName() {
    }

    /** The type without the dot ({@code service}), or null when the suffix is not a unit type. */
    static String type(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) return null;
        String t = name.substring(dot + 1);
        return TYPES.contains(t) ? t : null;
    }

    /** True for a name systemd accepts: valid characters, a prefix, at most one {@code @}, a known type. */
    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || type(name) == null) return false;
        String stem = name.substring(0, name.lastIndexOf('.'));
        int at = stem.indexOf('@');
        String prefix = at < 0 ? stem : stem.substring(0, at);
        if (prefix.isEmpty()) return false;
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || (c == '@' && i >= at);
            if (!ok) return false;
        }
        return true;
    }

    static boolean isTemplate(String name) {
        int at = name.indexOf('@');
        return at > 0 && type(name) != null && name.lastIndexOf('.') == at + 1;
    }

    static boolean isInstance(String name) {
        int at = name.indexOf('@');
        return at > 0 && type(name) != null && name.lastIndexOf('.') > at + 1;
    }

    /** The name without its type suffix ({@code %N}). */
    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The part before {@code @}, or the whole stem ({@code %p}). */
    static String prefix(String name) {
        String stem = stem(name);
        int at = stem.indexOf('@');
        return at < 0 ? stem : stem.substring(0, at);
    }

    /** The part between {@code @} and the type, or "" ({@code %i}). */
    static String instance(String name) {
        String stem = stem(name);
        int at = stem.indexOf('@');
        return at < 0 ? "" : stem.substring(at + 1);
    }

    /** {@code getty@tty1.service} → {@code getty@.service}. */
    static String template(String name) {
        return prefix(name) + "@." + type(name);
    }

    /** {@code getty@.service}, {@code tty1} → {@code getty@tty1.service}. */
    static String instantiate(String template, String instance) {
        return prefix(template) + "@" + instance + "." + type(template);
    }

    /** The same stem with another type: {@code foo@x.socket}, {@code service} → {@code foo@x.service}. */
    static String withType(String name, String type) {
        return stem(name) + "." + type;
    }

    /**
     * Undoes unit name escaping as unit_name_unescape does (what {@code systemd-escape --unescape} prints):
     * {@code -} is {@code /} and {@code \xNN} a byte, the bytes decoded as UTF-8. {@code %I} of
     * {@code postgresql@15-main.service} is {@code 15/main}, which Debian's unit uses as a path.
     */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('-') < 0) return s;
        byte[] out = new byte[s.length() * 4];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x'
                    && Character.digit(s.charAt(i + 2), 16) >= 0 && Character.digit(s.charAt(i + 3), 16) >= 0) {
                out[n++] = (byte) Integer.parseInt(s.substring(i + 2, i + 4), 16);
                i += 3;
            } else if (c == '-') {
                out[n++] = '/';
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** Undoes path escaping ({@code %f}): {@code -} is {@code /}, {@code dev-sda} is {@code /dev/sda}. */
    static String pathUnescape(String s) {
        if (s.equals("-")) return "/";
        return "/" + unescape(s);
    }

    /** Escapes a path the way {@code systemd-escape --path} does ({@code /dev/sda1} → {@code dev-sda1}). */
    static String pathEscape(String path) {
        StringBuilder trimmed = new StringBuilder();
        for (String part : path.split("/+")) {
            if (part.isEmpty()) continue;
            if (trimmed.length() > 0) trimmed.append('/');
            trimmed.append(part);
        }
        if (trimmed.length() == 0) return "-";
        StringBuilder b = new StringBuilder();
        byte[] bytes = trimmed.toString().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || (c == '.' && i > 0);
            if (c == '/') b.append('-');
            else if (plain) b.append((char) c);
            else b.append(String.format("\\x%02x", c));
        }
        return b.toString();
    }
}
