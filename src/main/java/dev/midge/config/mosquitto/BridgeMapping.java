package dev.midge.config.mosquitto;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps Mosquitto's {@code connection} blocks onto {@code midge.bridges.<name>.*}. Midge's bridge speaks
 * MQTT 5 to one remote address, verifies the remote host name, and keeps its topic lines in Mosquitto's syntax.
 */
final class BridgeMapping {

    private String bridge;
    private final Map<String, Integer> topicCount = new HashMap<>();

    /** True when the line is a bridge option, now mapped or reported. */
    boolean accept(ConfLine line, MappingTarget target) {
        String option = line.option();
        if (option.equals("connection")) {
            bridge = MappingTarget.string(line);
            if (!bridge.matches("[A-Za-z0-9_-]+")) {
                target.notHonoured(line, "Midge names bridges with letters, digits, - and _ only");
                bridge = bridge.replaceAll("[^A-Za-z0-9_-]", "-");
            }
            return true;
        }
        if (!isBridgeOption(option)) {
            return false;
        }
        if (bridge == null) {
            throw new MosquittoConfException(line, "invalid bridge configuration: no connection before it");
        }
        map(line, "midge.bridges." + bridge + ".", target);
        return true;
    }

    private void map(ConfLine line, String prefix, MappingTarget target) {
        switch (line.option()) {
            case "address", "addresses" -> {
                String[] words = line.words();
                target.set(prefix + "address", words[0], line);
                if (words.length > 1) {
                    target.notHonoured(line, "Midge's bridge connects to one address, " + words[0]);
                }
            }
            case "topic" -> {
                int index = topicCount.merge(bridge, 1, Integer::sum) - 1;
                target.set(prefix + "topics[" + index + "]", MappingTarget.string(line), line);
            }
            case "remote_clientid", "clientid" -> target.set(prefix + "client-id", MappingTarget.string(line), line);
            case "remote_username", "username" -> target.set(prefix + "username", MappingTarget.string(line), line);
            case "remote_password", "password" -> target.set(prefix + "password", MappingTarget.string(line), line);
            case "cleansession" -> target.set(prefix + "clean-session",
                    Boolean.toString(MappingTarget.bool(line)), line);
            case "keepalive_interval" -> target.set(prefix + "keepalive",
                    Integer.toString(Math.max(5, MappingTarget.integer(line))), line);
            case "restart_timeout" -> restartTimeout(line, prefix, target);
            case "bridge_cafile" -> {
                target.set(prefix + "ca-file", MappingTarget.string(line), line);
                target.set(prefix + "tls", "true", line);
            }
            case "bridge_certfile" -> target.set(prefix + "cert-file", MappingTarget.string(line), line);
            case "bridge_keyfile" -> target.set(prefix + "key-file", MappingTarget.string(line), line);
            case "bridge_insecure" -> {
                if (MappingTarget.bool(line)) {
                    target.notHonoured(line, "Midge always verifies the remote broker's host name");
                }
            }
            case "start_type" -> {
                if (!line.value().equals("automatic")) {
                    target.notHonoured(line, "Midge starts every bridge at once and keeps it connected");
                }
            }
            case "try_private", "notifications" -> {
                if (MappingTarget.bool(line)) {
                    target.notHonoured(line, "Midge's bridge connects as an ordinary MQTT 5 client");
                }
            }
            default -> target.notHonoured(line, "no equivalent in Midge's bridges");
        }
    }

    private static void restartTimeout(ConfLine line, String prefix, MappingTarget target) {
        String[] words = line.words();
        int base = MappingTarget.integer(line);
        int cap = words.length > 1 ? parse(line, words[1]) : base;
        target.set(prefix + "reconnect-delay", base + "s", line);
        target.set(prefix + "max-reconnect-delay", Math.max(base, cap) + "s", line);
    }

    private static int parse(ConfLine line, String word) {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new MosquittoConfException(line, "expected a number, not \"" + word + "\"");
        }
    }

    private static boolean isBridgeOption(String option) {
        return option.startsWith("bridge_") || option.startsWith("local_") || option.startsWith("notification")
                || switch (option) {
                    case "address", "addresses", "topic", "remote_clientid", "clientid", "remote_username",
                            "username", "remote_password", "password", "cleansession", "keepalive_interval",
                            "restart_timeout", "start_type", "try_private", "idle_timeout", "round_robin",
                            "threshold" -> true;
                    default -> false;
                };
    }
}
