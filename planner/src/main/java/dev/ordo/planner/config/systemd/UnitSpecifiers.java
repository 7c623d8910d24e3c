package dev.ordo.planner.config.systemd;

import java.util.Map;
import java.util.Set;

/**
 * {@code %} specifiers (systemd.unit(5), "Specifiers"). Those that come from the unit name are expanded;
 * so are the fixed directories of the system manager ({@code %t} is {@code /run}, ...). Those that
 * depend on the machine the unit runs on (host name, machine id, boot id, kernel release, os-release
 * fields, ...) are kept as written: ordo reads configurations for another machine as often as its own.
 */
final class UnitSpecifiers {

    private static final Map<Character, String> SYSTEM = Map.ofEntries(
            Map.entry('C', "/var/cache"), Map.entry('E', "/etc"), Map.entry('L', "/var/log"),
            Map.entry('S', "/var/lib"), Map.entry('t', "/run"), Map.entry('T', "/tmp"), Map.entry('V', "/var/tmp"),
            Map.entry('h', "/root"), Map.entry('u', "root"), Map.entry('U', "0"), Map.entry('g', "root"),
            Map.entry('G', "0"), Map.entry('s', "/bin/sh"));

    /** Valid specifiers whose value is only known on the running machine. */
    private static final Set<Character> MACHINE = Set.of(
            'a', 'A', 'b', 'B', 'd', 'H', 'l', 'm', 'M', 'o', 'q', 'v', 'w', 'W', 'y', 'Y');

    private UnitSpecifiers() {
    }

    /**
     * Expands the specifiers of {@code text} for the unit {@code unitName}.
     *
     * @throws IllegalArgumentException for a specifier systemd does not know (it rejects the value)
     */
    static String expand(String text, String unitName) {
        if (text.indexOf('%') < 0) return text;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%' || i + 1 >= text.length()) {
                b.append(c);
                continue;
            }
            char s = text.charAt(++i);
            String v = unitSpecifier(s, unitName);
            if (v == null) v = SYSTEM.get(s);
            if (v == null && MACHINE.contains(s)) v = "%" + s;
            if (v == null) {
                throw new IllegalArgumentException("unknown specifier `%" + s + "` in `" + text
                        + "` (write %% for a percent sign)");
            }
            b.append(v);
        }
        return b.toString();
    }

    private static String unitSpecifier(char s, String name) {
        String prefix = UnitName.prefix(name);
        String instance = UnitName.instance(name);
        switch (s) {
            case '%':
                return "%";
            case 'n':
                return name;
            case 'N':
                return UnitName.stem(name);
            case 'p':
                return prefix;
            case 'P':
                return UnitName.unescape(prefix);
            case 'i':
                return instance;
            case 'I':
                return UnitName.unescape(instance);
            case 'j':
                return lastComponent(prefix);
            case 'J':
                return UnitName.unescape(lastComponent(prefix));
            case 'f':
                return UnitName.pathUnescape(UnitName.isInstance(name) ? instance : prefix);
            default:
                return null;
        }
    }

    private static String lastComponent(String prefix) {
        int dash = prefix.lastIndexOf('-');
        return dash < 0 ? prefix : prefix.substring(dash + 1);
    }
}
