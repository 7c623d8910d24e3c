package dev.ordo.executor.runtime;

import dev.ordo.planner.engine.Input;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ConditionPathIsEncrypted=}: whether the block device under a path's file system is dm-crypt (LUKS),
 * as systemd's blockdev_is_encrypted() tells it from sysfs: a device-mapper device whose {@code dm/uuid}
 * starts with {@code CRYPT-}, or one whose {@code slaves/} lead to one.
 */
final class BlockDevices {

    /** Deeper stacks than this are not followed (a loop in sysfs would be a kernel bug; this is a guard). */
    private static final int MAX_DEPTH = 16;

    private BlockDevices() {
    }

    static Input.ConditionAnswer encrypted(Path p, MachineFacts m) {
        if (!Files.exists(p)) return PathConditions.answer(false, p + " does not exist");
        long dev;
        String type;
        try {
            dev = ((Number) Files.getAttribute(p, "unix:dev")).longValue();
            type = Files.getFileStore(p).type();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return PathConditions.unknown("the device of " + p + " cannot be read: " + e.getMessage());
        }
        // glibc's major()/minor() of a dev_t.
        long major = ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
        long minor = ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
        if (major == 0) {
            // btrfs gives every subvolume an anonymous device; systemd asks btrfs for the real one, ordo cannot.
            if (type.equals("btrfs")) return PathConditions.unknown(p + " is on btrfs, whose devices ordo cannot ask for");
            return PathConditions.answer(false, p + " is on " + type + ", not on a block device");
        }
        Path sys = m.path("/sys/dev/block/" + major + ":" + minor);
        if (!Files.isDirectory(sys)) return PathConditions.unknown(sys + " is missing");
        boolean crypt = crypt(sys, 0);
        return PathConditions.answer(crypt, p + " is on block device " + major + ":" + minor
                + (crypt ? ", encrypted with dm-crypt" : ", not encrypted with dm-crypt"));
    }

    static boolean crypt(Path sysDevice, int depth) {
        if (depth > MAX_DEPTH) return false;
        try {
            Path uuid = sysDevice.resolve("dm/uuid");
            if (Files.isRegularFile(uuid) && Files.readString(uuid).startsWith("CRYPT-")) return true;
        } catch (IOException e) {
            return false;
        }
        Path slaves = sysDevice.resolve("slaves");
        if (!Files.isDirectory(slaves)) return false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(slaves)) {
            for (Path s : ds) if (crypt(s, depth + 1)) return true;
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
