package dev.ordo.planner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fnmatch(3) with flags 0, as U§3.2 and test_event_operator.c use it. */
class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(textBlock = """
            b?r,        bar,        true
            b?r,        br,         false
            f*,         foo,        true
            f*,         f,          true
            *,          '',         true
            *sec*krb5*, rw;sec=krb5i, true
            '[2345]',   2,          true
            '[2345]',   6,          false
            '[!2345]',  6,          true
            '[!2345]',  3,          false
            '[!4]',     0,          true
            '?*',       SEGV,       true
            '?*',       '',         false
            a*b,        a/x/b,      true
            a\\*,       a*,         true
            a\\*,       ab,         false
            '[a-c]x',   bx,         true
            '[a-c]x',   dx,         false
            '[',        '[',        true
            """)
    void matches(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text == null ? "" : text));
    }
}
