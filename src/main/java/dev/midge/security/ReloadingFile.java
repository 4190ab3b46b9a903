package dev.midge.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * A file read into a value, read again when it changes. Kubernetes replaces a mounted Secret by swapping a
 * {@code ..data} symlink, which file-system events on the file itself miss; comparing the resolved file's
 * identity, size and modification time on every {@link #refresh()} catches that and plain edits alike. A file
 * that no longer reads keeps the previous value, with an ERROR log.
 */
public final class ReloadingFile<T> {

    /** Reads a file into a value, failing with a message that names the file and line. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(ReloadingFile.class);

    private final Path path;
    private final Reader<T> reader;
    private volatile T value;
    private Object version;

    /** Reads the file now; failing here stops start-up. */
    public ReloadingFile(Path path, Reader<T> reader) throws IOException {
        this.path = path;
        this.reader = reader;
        this.version = version();
        this.value = reader.read(path);
    }

    public T value() {
        return value;
    }

    public Path path() {
        return path;
    }

    /** Reads the file again if it changed since the last read. Returns true when the value was replaced. */
    public synchronized boolean refresh() {
        Object current;
        try {
            current = version();
        } catch (IOException e) {
            LOG.errorf("Cannot read %s, keeping the previous contents: %s", path, e.getMessage());
            return false;
        }
        if (Objects.equals(current, version)) {
            return false;
        }
        version = current;
        try {
            value = reader.read(path);
            LOG.infof("Reloaded %s", path);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Rejected the new contents of %s, keeping the previous ones: %s", path, e.getMessage());
            return false;
        }
    }

    private Object version() throws IOException {
        Path real = path.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        return List.of(real.toString(), String.valueOf(attributes.fileKey()), attributes.size(),
                attributes.lastModifiedTime().toMillis());
    }
}
