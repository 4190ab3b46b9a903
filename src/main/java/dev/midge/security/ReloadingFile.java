package dev.midge.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A value read from one or more files (a certificate with its key, say), read again when any of them changes.
 * Kubernetes replaces a mounted Secret by swapping a {@code ..data} symlink, which file-system events on the
 * file itself miss; comparing each resolved file's identity, size and modification time on every
 * {@link #refresh()} catches that and plain edits alike. Files that no longer read keep the previous value,
 * with an ERROR log.
 */
public final class ReloadingFile<T> {

    /** Reads the files into a value, failing with a message that names the file (and line). */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(ReloadingFile.class);

    private final List<Path> paths;
    private final Loader<T> loader;
    private volatile T value;
    private List<Object> version;

    /** Reads the files now; failing here stops start-up. */
    public ReloadingFile(List<Path> paths, Loader<T> loader) throws IOException {
        this.paths = List.copyOf(paths);
        this.loader = loader;
        this.version = version();
        this.value = loader.load();
    }

    /** A value read from one file. */
    public static <T> ReloadingFile<T> of(Path path, FileReader<T> reader) throws IOException {
        return new ReloadingFile<>(List.of(path), () -> reader.read(path));
    }

    /** A value read from the file a configuration key names; a file that cannot be read stops start-up. */
    public static <T> ReloadingFile<T> configured(String key, String file, FileReader<T> reader) {
        try {
            return of(Path.of(file), reader);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads one file. */
    @FunctionalInterface
    public interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    public T value() {
        return value;
    }

    /** Reads the files again if any changed since the last read. Returns true when the value was replaced. */
    public synchronized boolean refresh() {
        List<Object> current;
        try {
            current = version();
        } catch (IOException e) {
            LOG.errorf("Cannot read %s, keeping the previous contents: %s", paths, e.getMessage());
            return false;
        }
        if (current.equals(version)) {
            return false;
        }
        version = current;
        try {
            value = loader.load();
            LOG.infof("Reloaded %s", paths);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Rejected the new contents of %s, keeping the previous ones: %s", paths, e.getMessage());
            return false;
        }
    }

    private List<Object> version() throws IOException {
        List<Object> version = new ArrayList<>();
        for (Path path : paths) {
            Path real = path.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            version.add(List.of(real.toString(), String.valueOf(attributes.fileKey()), attributes.size(),
                    attributes.lastModifiedTime().toMillis()));
        }
        return version;
    }
}
