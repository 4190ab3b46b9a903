package dev.midge.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@code midge.pid-file}: the process id, written at start and removed at shutdown, as Mosquitto's pid_file. */
final class PidFile {

    private static final Logger LOG = Logger.getLogger(PidFile.class);

    private final Optional<Path> file;

    PidFile(Optional<String> file) {
        this.file = file.map(Path::of);
    }

    void write() {
        file.ifPresent(path -> {
            try {
                Files.writeString(path, ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write midge.pid-file " + path + ": " + e.getMessage(), e);
            }
        });
    }

    void remove() {
        file.ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warnf("Cannot remove midge.pid-file %s: %s", path, e.getMessage());
            }
        });
    }
}
