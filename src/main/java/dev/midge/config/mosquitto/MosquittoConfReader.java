package dev.midge.config.mosquitto;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code mosquitto.conf} the way Mosquitto does: one option per line, {@code #} comments and blank
 * lines skipped, the value is the rest of the line, and {@code include_dir} in the main file reads that
 * directory's {@code *.conf} files in alphabetical order at that point. Unknown options and unreadable files
 * fail with the file and line.
 */
public final class MosquittoConfReader {

    private MosquittoConfReader() {
    }

    public static List<ConfLine> read(Path file) {
        List<ConfLine> lines = new ArrayList<>();
        readFile(file, true, null, lines);
        return lines;
    }

    private static void readFile(Path file, boolean main, ConfLine includedBy, List<ConfLine> out) {
        List<String> text;
        try {
            text = Files.readAllLines(file);
        } catch (IOException e) {
            String where = includedBy == null ? file.toString() : includedBy.where();
            throw new MosquittoConfException(where, "cannot read " + file + ": " + e.getMessage());
        }
        for (int i = 0; i < text.size(); i++) {
            String raw = text.get(i).strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                continue;
            }
            int blank = indexOfBlank(raw);
            String option = blank < 0 ? raw : raw.substring(0, blank);
            String value = blank < 0 ? "" : raw.substring(blank).strip();
            ConfLine line = new ConfLine(option, value, file, i + 1);
            if (!MosquittoOptions.isKnown(option)) {
                throw new MosquittoConfException(line.where(), "unknown configuration variable \"" + option + "\"");
            }
            if (option.equals("include_dir")) {
                // As in Mosquitto, only the main file may include; an include_dir elsewhere is ignored.
                if (main) {
                    include(line, out);
                }
                continue;
            }
            out.add(line);
        }
    }

    private static void include(ConfLine line, List<ConfLine> out) {
        if (line.value().isEmpty()) {
            throw new MosquittoConfException(line, "empty include_dir value");
        }
        // Relative to the working directory, as Mosquitto reads it.
        Path dir = Path.of(line.value());
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.conf")) {
            entries.forEach(files::add);
        } catch (IOException e) {
            throw new MosquittoConfException(line, "cannot list include_dir " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        for (Path included : files) {
            if (Files.isRegularFile(included)) {
                readFile(included, false, line, out);
            }
        }
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
