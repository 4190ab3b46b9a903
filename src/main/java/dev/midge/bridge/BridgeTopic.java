package dev.midge.bridge;

import dev.midge.message.InvalidTopicException;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a bridge's topic configuration, as Mosquitto writes it:
 * {@code pattern [out|in|both [qos [local-prefix remote-prefix]]]}. Locally the bridge works with
 * {@code local-prefix + pattern}, remotely with {@code remote-prefix + pattern}; a topic crossing the bridge
 * has the one prefix replaced by the other. Both filters are parsed once, with the line.
 */
record BridgeTopic(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix,
        TopicFilter local, TopicFilter remote) {

    enum Direction { OUT, IN, BOTH }

    /** Parses one line; the message names the line when it is wrong. */
    static BridgeTopic parse(String line) {
        List<String> t = tokens(line);
        if (t.isEmpty() || t.size() > 5 || t.size() == 4) {
            throw new IllegalArgumentException("'" + line + "': expected pattern [out|in|both [qos [local-prefix"
                    + " remote-prefix]]]");
        }
        Direction direction = t.size() > 1 ? direction(t.get(1), line) : Direction.OUT;
        int qos = t.size() > 2 ? qos(t.get(2), line) : 0;
        String local = t.size() > 3 ? t.get(3) : "";
        String remote = t.size() > 3 ? t.get(4) : "";
        String pattern = t.get(0);
        try {
            return new BridgeTopic(pattern, direction, qos, local, remote, TopicFilter.of(local + pattern),
                    TopicFilter.of(remote + pattern));
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("'" + line + "': not a valid topic filter with its prefixes ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Direction direction(String token, String line) {
        try {
            return Direction.valueOf(token.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + line + "': direction must be out, in or both, not " + token);
        }
    }

    private static int qos(String token, String line) {
        if (!token.matches("[012]")) {
            throw new IllegalArgumentException("'" + line + "': qos must be 0, 1 or 2, not " + token);
        }
        return Integer.parseInt(token);
    }

    /** Whitespace-separated words; {@code ""} is an empty word. */
    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        for (String word : line.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.add(word.equals("\"\"") ? "" : word);
            }
        }
        return out;
    }

    boolean goesOut() {
        return direction != Direction.IN;
    }

    boolean comesIn() {
        return direction != Direction.OUT;
    }

    String localFilter() {
        return local.text();
    }

    String remoteFilter() {
        return remote.text();
    }

    /** The remote topic for a local one, or null when this line does not carry it out. */
    String toRemote(String localTopic) {
        return goesOut() && localTopic.startsWith(localPrefix) && matches(local, localTopic)
                ? remotePrefix + localTopic.substring(localPrefix.length()) : null;
    }

    /** The remote topic for a local one by the first line that carries it out, or null when none does. */
    static String toRemote(List<BridgeTopic> lines, String localTopic) {
        for (BridgeTopic line : lines) {
            String remote = line.toRemote(localTopic);
            if (remote != null) {
                return remote;
            }
        }
        return null;
    }

    /** The first line that carries a remote topic in, or null when none does. */
    static BridgeTopic carryingIn(List<BridgeTopic> lines, String remoteTopic) {
        for (BridgeTopic line : lines) {
            if (line.toLocal(remoteTopic) != null) {
                return line;
            }
        }
        return null;
    }

    /** The local topic for a remote one, or null when this line does not carry it in. */
    String toLocal(String remoteTopic) {
        return comesIn() && remoteTopic.startsWith(remotePrefix) && matches(remote, remoteTopic)
                ? localPrefix + remoteTopic.substring(remotePrefix.length()) : null;
    }

    private static boolean matches(TopicFilter filter, String topic) {
        TopicName name = TopicName.parseOrNull(topic, Integer.MAX_VALUE);
        return name != null && filter.matches(name);
    }
}
