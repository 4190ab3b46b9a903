package dev.midge.config.mosquitto;

import static dev.midge.config.ConfigValidator.MQTT_MAX_PACKET_SIZE;

import java.util.List;

/**
 * Turns the options of a {@code mosquitto.conf} into Midge settings. Options with an equivalent are mapped;
 * options set to what Midge does anyway are accepted silently; the rest are reported as not honoured. The
 * table is in docs/mosquitto.md.
 */
public final class MosquittoConfMapping {

    private final boolean runningAsRoot;
    private final MappingTarget target = new MappingTarget();
    private final ListenerMapping listeners = new ListenerMapping();
    private final BridgeMapping bridges = new BridgeMapping();
    private final LogMapping logging = new LogMapping();
    private boolean persistence;

    private MosquittoConfMapping(boolean runningAsRoot) {
        this.runningAsRoot = runningAsRoot;
    }

    public static MappedConf map(List<ConfLine> lines, boolean runningAsRoot) {
        MosquittoConfMapping mapping = new MosquittoConfMapping(runningAsRoot);
        // Mosquitto applies per_listener_settings to the whole file wherever it stands.
        lines.stream().filter(l -> l.option().equals("per_listener_settings"))
                .forEach(l -> mapping.listeners.perListenerSettings(MappingTarget.bool(l)));
        for (ConfLine line : lines) {
            mapping.accept(line);
        }
        return mapping.finish();
    }

    private void accept(ConfLine line) {
        if (listeners.accept(line, target) || bridges.accept(line, target) || logging.accept(line, target)) {
            return;
        }
        switch (line.option()) {
            case "per_listener_settings" -> {
                // read before the other lines
            }
            case "persistence" -> persistence = MappingTarget.bool(line);
            case "persistence_location" -> target.set("midge.persistence.dir", MappingTarget.string(line), line);
            case "persistence_file" -> {
                if (!line.value().equals("mosquitto.db")) {
                    target.notHonoured(line, "Midge keeps its own store files in the persistence directory");
                }
            }
            case "autosave_interval" -> autosave(line);
            case "max_inflight_messages" -> {
                int max = MappingTarget.integer(line);
                target.set("midge.max-inflight-messages", Integer.toString(max <= 0 ? 65_535 : max), line);
            }
            case "max_queued_messages" -> {
                int max = MappingTarget.integer(line);
                target.set("midge.max-queued-messages", Integer.toString(max <= 0 ? Integer.MAX_VALUE : max), line);
            }
            case "max_keepalive" -> {
                int max = MappingTarget.integer(line);
                if (max > 0 && max < 65_535) {
                    target.set("midge.max-keepalive", Integer.toString(max), line);
                }
            }
            case "max_packet_size" -> {
                int max = MappingTarget.integer(line);
                target.set("midge.max-packet-size", Integer.toString(max <= 0 ? MQTT_MAX_PACKET_SIZE : max), line);
            }
            case "max_topic_alias" -> target.set("midge.topic-alias.maximum",
                    Integer.toString(MappingTarget.integer(line)), line);
            case "sys_interval" -> target.set("midge.sys-interval", Math.max(0, MappingTarget.integer(line)) + "s",
                    line);
            case "pid_file" -> target.set("midge.pid-file", MappingTarget.string(line), line);
            case "user" -> user(line);
            case "message_size_limit" -> target.set("midge.max-payload-size", Integer.toString(payloadLimit(line)),
                    line);
            case "persistent_client_expiration" -> persistentClientExpiration(line);
            case "retain_available" -> target.set("midge.retain-available", Boolean.toString(MappingTarget.bool(line)),
                    line);
            case "allow_zero_length_clientid", "set_tcp_nodelay" -> sameAsMidge(line, "true");
            case "queue_qos0_messages", "upgrade_outgoing_qos", "allow_duplicate_messages",
                    "check_retain_source" -> sameAsMidge(line, "false");
            default -> target.notHonoured(line, "no equivalent in Midge");
        }
    }

    /** Accepts an option set to what Midge always does, and reports any other value. */
    private void sameAsMidge(ConfLine line, String midgeBehaviour) {
        if (!line.value().equals(midgeBehaviour)) {
            target.notHonoured(line, "Midge always behaves as " + line.option() + " " + midgeBehaviour);
        }
    }

    /** Mosquitto's limit is unsigned: a negative number is as far beyond MQTT's largest payload as it refuses. */
    private static int payloadLimit(ConfLine line) {
        int limit = MappingTarget.integer(line);
        if (limit < 0 || limit > MQTT_MAX_PACKET_SIZE) {
            throw new MosquittoConfException(line, "invalid message_size_limit value (" + line.word(0) + ")");
        }
        return limit;
    }

    /** A number and one of Mosquitto's units: h, d, w, m (30 days) or y (365 days). */
    private void persistentClientExpiration(ConfLine line) {
        String word = line.word(0);
        if (word == null) {
            target.notHonoured(line, "empty value, which Mosquitto ignores too");
            return;
        }
        long unitSeconds = switch (word.charAt(word.length() - 1)) {
            case 'h' -> 3_600;
            case 'd' -> 86_400;
            case 'w' -> 7 * 86_400;
            case 'm' -> 30 * 86_400;
            case 'y' -> 365 * 86_400;
            default -> 0;
        };
        long count = leadingNumber(word.substring(0, word.length() - 1));
        if (unitSeconds == 0 || count <= 0) {
            throw new MosquittoConfException(line, "invalid persistent_client_expiration duration \"" + word
                    + "\": a number followed by h, d, w, m or y");
        }
        target.set("midge.max-session-expiry", count * unitSeconds + "s", line);
    }

    /** The digits a number starts with, as C's atoi reads them; 0 when there are none. */
    private static long leadingNumber(String text) {
        int end = 0;
        while (end < text.length() && end < 9 && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Long.parseLong(text.substring(0, end));
    }

    private void autosave(ConfLine line) {
        int seconds = MappingTarget.integer(line);
        if (seconds > 0) {
            target.set("midge.persistence.sync", "interval", line);
            target.set("midge.persistence.flush-interval", seconds + "s", line);
        } else {
            target.notHonoured(line, "Midge writes every change to its store as it happens");
        }
    }

    private void user(ConfLine line) {
        String user = MappingTarget.string(line);
        if (runningAsRoot && !user.equals("root")) {
            throw new MosquittoConfException(line, "Midge cannot drop privileges to '" + user
                    + "' by itself: start it as that user (the systemd unit does), not as root");
        }
    }

    private MappedConf finish() {
        listeners.finish(target);
        logging.finish(target);
        // Mosquitto keeps nothing across restarts unless told to.
        target.set("midge.persistence.enabled", Boolean.toString(persistence),
                persistence ? "persistence true" : "Mosquitto's default (persistence false)");
        return target.result();
    }
}
