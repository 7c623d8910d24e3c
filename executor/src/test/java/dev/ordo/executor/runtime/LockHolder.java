package dev.ordo.executor.runtime;

import java.nio.file.Path;

/** A second process for {@link SupervisorLockTest}: takes the lock, says so, holds it until stdin ends. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (SupervisorLock lock = SupervisorLock.acquire(new StateFiles(Path.of(args[0])))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold on until the test closes our stdin.
            }
        }
    }
}
