package dev.midge.config.mosquitto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoConfReaderTest {

    @TempDir
    Path dir;

    @Test
    void commentsAndBlankLinesAreSkippedAndTheValueIsTheRestOfTheLine() throws IOException {
        Path conf = write("mosquitto.conf", "# a comment\n\n   \nlog_dest file /var/log/mosquitto/a b.log  \n"
                + "  listener 8883 127.0.0.1\n");

        List<ConfLine> lines = MosquittoConfReader.read(conf);

        assertEquals(List.of("log_dest", "listener"), lines.stream().map(ConfLine::option).toList());
        assertEquals("file /var/log/mosquitto/a b.log", lines.get(0).value());
        assertEquals(4, lines.get(0).line());
        assertArrayEquals(new String[] {"8883", "127.0.0.1"}, lines.get(1).words());
        assertEquals(conf + ":5", lines.get(1).where());
    }

    @Test
    void includeDirReadsItsConfFilesInAlphabeticalOrderWhereItStands() throws IOException {
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("b.conf"), "max_connections 2\n");
        Files.writeString(confD.resolve("a.conf"), "max_connections 1\n");
        Files.writeString(confD.resolve("c.txt"), "not a config file\n");
        // Mosquitto reads include_dir in the main file only.
        Files.writeString(confD.resolve("d.conf"), "include_dir " + dir.resolve("nowhere") + "\nsys_interval 5\n");
        Path conf = write("mosquitto.conf", "persistence true\ninclude_dir " + confD + "\npid_file /tmp/p\n");

        List<ConfLine> lines = MosquittoConfReader.read(conf);

        assertEquals(List.of("persistence true", "max_connections 1", "max_connections 2", "sys_interval 5",
                "pid_file /tmp/p"), lines.stream().map(l -> l.option() + " " + l.value()).toList());
        assertEquals(confD.resolve("a.conf"), lines.get(1).file());
    }

    @Test
    void anUnknownOptionStopsWithTheFileAndLine() throws IOException {
        Path conf = write("mosquitto.conf", "persistence true\nlistner 1883\n");

        MosquittoConfException e = assertThrows(MosquittoConfException.class, () -> MosquittoConfReader.read(conf));
        assertEquals("Error in " + conf + ":2: unknown configuration variable \"listner\"", e.getMessage());
    }

    @Test
    void anUnknownOptionInAnIncludedFileNamesThatFile() throws IOException {
        Path confD = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(confD.resolve("x.conf"), "\nbogus 1\n");
        Path conf = write("mosquitto.conf", "include_dir " + confD + "\n");

        MosquittoConfException e = assertThrows(MosquittoConfException.class, () -> MosquittoConfReader.read(conf));
        assertTrue(e.getMessage().contains(confD.resolve("x.conf") + ":2"), e.getMessage());
    }

    @Test
    void aMissingIncludeDirOrFileStops() throws IOException {
        Path conf = write("mosquitto.conf", "include_dir " + dir.resolve("nowhere") + "\n");

        MosquittoConfException e = assertThrows(MosquittoConfException.class, () -> MosquittoConfReader.read(conf));
        assertTrue(e.getMessage().contains(conf + ":1") && e.getMessage().contains("cannot list include_dir"),
                e.getMessage());
        e = assertThrows(MosquittoConfException.class, () -> MosquittoConfReader.read(dir.resolve("absent.conf")));
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void pluginOptionsAreKnownOptions() throws IOException {
        Path conf = write("mosquitto.conf", "plugin_opt_foo bar\nauth_opt_x y\n");

        assertEquals(2, MosquittoConfReader.read(conf).size());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
