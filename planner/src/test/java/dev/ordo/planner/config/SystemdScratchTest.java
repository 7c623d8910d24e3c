package dev.ordo.planner.config;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdScratchTest {
    @Test
    void dump() {
        Path root = Path.of(System.getProperty("ordo.shared", "../shared")).resolve("corpus/systemd/debian-12");
        var r = SystemdReader.read(List.of(root.resolve("etc/systemd/system"), root.resolve("lib/systemd/system")), List.of(), Path::toString);
        r.read().diagnostics().forEach(System.out::println);
        System.out.println("jobs " + r.read().jobs().size() + " files " + r.files().size());
        for (var j : r.read().jobs()) {
            System.out.println("JOB " + j.name() + " masked=" + j.unit().masked() + " type=" + j.unit().serviceType() + " task=" + j.task() + " aliases=" + j.unit().aliases().stream().map(n -> n.name()).toList() + " dropins=" + j.unit().dropIns());
            for (var rel : j.relations()) System.out.println("   " + rel.kind() + " " + rel.target() + " " + rel.origin() + " " + rel.source());
        }
    }
}
