package dev.midge.config.mosquitto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects settings and not-honoured options while a file is mapped; later lines win, as in Mosquitto. */
final class MappingTarget {

    private final Map<String, MappedConf.Setting> settings = new LinkedHashMap<>();
    private final List<String> notHonoured = new ArrayList<>();

    void set(String key, String value, ConfLine from) {
        settings.put(key, new MappedConf.Setting(value, from.where()));
    }

    void set(String key, String value, String where) {
        settings.put(key, new MappedConf.Setting(value, where));
    }

    boolean has(String key) {
        return settings.containsKey(key);
    }

    void notHonoured(ConfLine line, String why) {
        notHonoured.add(line.option() + (line.value().isEmpty() ? "" : " " + line.value()) + " (" + line.where()
                + "): " + why);
    }

    MappedConf result() {
        return new MappedConf(settings, notHonoured);
    }

    static boolean bool(ConfLine line) {
        return switch (line.value()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MosquittoConfException(line, "expected true or false, not \"" + line.value() + "\"");
        };
    }

    static int integer(ConfLine line) {
        String word = line.word(0);
        if (word == null) {
            throw new MosquittoConfException(line, "empty value");
        }
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new MosquittoConfException(line, "expected a number, not \"" + word + "\"");
        }
    }

    static String string(ConfLine line) {
        if (line.value().isEmpty()) {
            throw new MosquittoConfException(line, "empty value");
        }
        return line.value();
    }
}
