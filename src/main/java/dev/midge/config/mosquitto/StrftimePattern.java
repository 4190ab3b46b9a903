package dev.midge.config.mosquitto;

import java.util.Map;

/** Converts the strftime patterns Mosquitto's {@code log_timestamp_format} takes into Java date patterns. */
final class StrftimePattern {

    private static final Map<Character, String> FIELDS = Map.of('Y', "yyyy", 'm', "MM", 'd', "dd", 'H', "HH",
            'M', "mm", 'S', "ss", 'z', "Z", 'Z', "z", 'F', "yyyy-MM-dd", 'T', "HH:mm:ss");

    private StrftimePattern() {
    }

    /** The Java pattern, or null when the format uses a field this does not know. */
    static String toJava(String strftime) {
        StringBuilder java = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < strftime.length(); i++) {
            char c = strftime.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= strftime.length()) {
                return null;
            }
            char field = strftime.charAt(++i);
            if (field == '%') {
                literal.append('%');
                continue;
            }
            String mapped = FIELDS.get(field);
            if (mapped == null) {
                return null;
            }
            flush(literal, java);
            java.append(mapped);
        }
        flush(literal, java);
        return java.toString();
    }

    private static void flush(StringBuilder literal, StringBuilder java) {
        if (!literal.isEmpty()) {
            java.append('\'').append(literal.toString().replace("'", "''")).append('\'');
            literal.setLength(0);
        }
    }
}
