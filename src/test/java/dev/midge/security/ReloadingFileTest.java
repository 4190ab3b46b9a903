package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change detection as Kubernetes swaps a mounted Secret: a new directory behind a {@code ..data} symlink. */
class ReloadingFileTest {

    @TempDir
    Path dir;

    @Test
    void followsASymlinkSwapAndKeepsTheOldValueWhenTheNewOneIsBad() throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_01"));
        Files.writeString(v1.resolve("value"), "one");
        Path data = Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("value"), Path.of("..data/value"));
        ReloadingFile<String> reloading = ReloadingFile.of(file, f -> {
            String s = Files.readString(f);
            if (s.startsWith("bad")) {
                throw new IllegalArgumentException(f + ":1: bad value");
            }
            return s;
        });
        assertEquals("one", reloading.value());
        assertFalse(reloading.refresh(), "unchanged");

        Path v2 = Files.createDirectory(dir.resolve("..2026_02"));
        Files.writeString(v2.resolve("value"), "two");
        swap(data, v2);
        assertTrue(reloading.refresh());
        assertEquals("two", reloading.value());

        Path v3 = Files.createDirectory(dir.resolve("..2026_03"));
        Files.writeString(v3.resolve("value"), "bad three");
        swap(data, v3);
        assertFalse(reloading.refresh());
        assertEquals("two", reloading.value(), "a bad new file keeps the old value");
    }

    /** Points the symlink at a new target atomically, as Kubernetes does with a rename over it. */
    private static void swap(Path link, Path target) throws Exception {
        Path tmp = link.resolveSibling("..data_tmp");
        Files.createSymbolicLink(tmp, target.getFileName());
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
