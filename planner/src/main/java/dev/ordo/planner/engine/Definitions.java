package dev.ordo.planner.engine;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.diag.Source;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether two definitions of a job mean the same, wherever they were written: a reload must not call
 * a job changed because a line was added above it in its file, so every {@link Source} is left out.
 * The model is records all the way down, so the walk is generic and new fields count without a
 * change here.
 */
final class Definitions {

    private Definitions() {
    }

    static boolean same(Job a, Job b) {
        return same((Object) a, b);
    }

    private static boolean same(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        if (a instanceof Source) return true;
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) return false;
            for (int i = 0; i < la.size(); i++) if (!same(la.get(i), lb.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (ma.size() != mb.size()) return false;
            // The model's maps are ordered (EnumMap, LinkedHashMap): compare them in order.
            Iterator<? extends Map.Entry<?, ?>> ib = mb.entrySet().iterator();
            for (Map.Entry<?, ?> ea : ma.entrySet()) {
                Map.Entry<?, ?> eb = ib.next();
                if (!same(ea.getKey(), eb.getKey()) || !same(ea.getValue(), eb.getValue())) return false;
            }
            return true;
        }
        if (!a.getClass().isRecord()) return Objects.equals(a, b);
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            if (!same(value(c, a), value(c, b))) return false;
        }
        return true;
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            // Cannot look inside: treat it as different, so that the new definition is taken.
            return new Object();
        }
    }
}
