package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ConditionSecurity=audit's question reaches the kernel: the socket call is bound and answers the same twice. */
class AuditTest {

    @Test
    void theKernelAnswers() {
        boolean first = Audit.inUse();
        assertEquals(first, Audit.inUse());
    }
}
