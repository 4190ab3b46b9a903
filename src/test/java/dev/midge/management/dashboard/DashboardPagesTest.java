package dev.midge.management.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardPagesTest {

    @Test
    void servesEveryFileOfItsFolderAndNoOther() throws IOException {
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "dashboard"))) {
            files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("README.md")).forEach(present::add);
        }
        assertEquals(present, new TreeSet<>(DashboardPages.FILES));
    }
}
