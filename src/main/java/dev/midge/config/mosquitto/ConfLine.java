package dev.midge.config.mosquitto;

import java.nio.file.Path;

/**
 * One option of a {@code mosquitto.conf} file: its name, its value (the rest of the line, trimmed, as Mosquitto
 * reads string values) and where it stands, for messages that point the operator at the line.
 */
public record ConfLine(String option, String value, Path file, int line) {

    public String where() {
        return file + ":" + line;
    }

    /** The value split at blanks, for options that take several words ({@code listener 8883 0.0.0.0}). */
    public String[] words() {
        return value.isEmpty() ? new String[0] : value.split("\\s+");
    }

    public String word(int index) {
        String[] words = words();
        return index < words.length ? words[index] : null;
    }
}
