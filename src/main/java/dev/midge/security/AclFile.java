package dev.midge.security;

import dev.midge.message.InvalidTopicException;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An access control file in Mosquitto's syntax. {@code topic [read|write|readwrite|deny] T} lines before any
 * {@code user} line apply to anonymous clients, those after {@code user NAME} to that user;
 * {@code pattern [access] T} lines apply to everyone, with {@code %c} for the client id and {@code %u} for the
 * user name. As in Mosquitto, the first rule whose topic matches decides (deny refuses), the user's or the
 * anonymous rules before the patterns, and nothing matching means no.
 */
public final class AclFile {

    /** What a rule grants. */
    public enum Access {
        READ, WRITE, READWRITE, DENY;

        boolean grants(Access wanted) {
            return this == READWRITE || this == wanted;
        }
    }

    /** A rule; {@code filter} is its topic parsed, which a pattern's is again for each client. */
    private record Rule(Access access, String topic, TopicFilter filter) {
    }

    private final List<Rule> anonymous;
    private final Map<String, List<Rule>> byUser;
    private final List<Rule> patterns;

    private AclFile(List<Rule> anonymous, Map<String, List<Rule>> byUser, List<Rule> patterns) {
        this.anonymous = anonymous;
        this.byUser = byUser;
        this.patterns = patterns;
    }

    /** Reads the file; an unknown keyword or a bad topic fails with the file and line number. */
    public static AclFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> byUser = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> current = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] words = line.split("\\s+", 2);
            String rest = words.length > 1 ? words[1] : "";
            switch (words[0]) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException(where + "user without a name");
                    }
                    current = byUser.computeIfAbsent(rest, u -> new ArrayList<>());
                }
                case "topic" -> current.add(rule(rest, where));
                case "pattern" -> patterns.add(rule(rest, where));
                default -> throw new IllegalArgumentException(where + "unknown keyword '" + words[0] + "'");
            }
        }
        return new AclFile(anonymous, byUser, patterns);
    }

    private static Rule rule(String rest, String where) {
        String[] words = rest.split("\\s+", 2);
        Access access = words.length == 2 ? accessNamed(words[0]) : null;
        // Without an access keyword the whole rest is the topic, which may contain spaces.
        String topic = access == null ? rest : words[1];
        TopicFilter filter;
        try {
            filter = TopicFilter.of(topic);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        return new Rule(access == null ? Access.READWRITE : access, topic, filter);
    }

    private static Access accessNamed(String word) {
        return switch (word) {
            case "read" -> Access.READ;
            case "write" -> Access.WRITE;
            case "readwrite" -> Access.READWRITE;
            case "deny" -> Access.DENY;
            default -> null;
        };
    }

    /** Whether the client may read from or write to the topic name. */
    public boolean allows(ClientIdentity client, TopicName topic, Access wanted) {
        Boolean decided = decide(rulesOf(client), client, topic, wanted, false);
        if (decided == null) {
            decided = decide(patterns, client, topic, wanted, true);
        }
        return Boolean.TRUE.equals(decided);
    }

    /**
     * Whether some message matching the filter could be readable by the client: what SUBSCRIBE is granted on.
     * A filter without wildcards is one topic, decided exactly as {@link #allows} decides it. For a wildcard
     * filter the rules are walked in first-match order (the client's own, then the patterns), skipping those
     * that neither deny nor grant reading: a read rule that overlaps the filter grants it, unless a deny rule
     * before it covers every topic the filter matches, which refuses it. This is conservative: denies that
     * only together cover the filter do not refuse it, and each message is still checked on delivery.
     */
    public boolean mayRead(ClientIdentity client, TopicFilter filter) {
        if (!filter.hasWildcards()) {
            return allows(client, TopicName.of(filter.text()), Access.READ);
        }
        for (List<Rule> rules : List.of(rulesOf(client), patterns)) {
            for (Rule rule : rules) {
                TopicFilter topic = rules == patterns ? substitute(rule.topic(), client) : rule.filter();
                if (topic == null) {
                    continue;
                }
                if (rule.access() == Access.DENY && covers(topic, filter)) {
                    return false;
                }
                if (rule.access().grants(Access.READ) && overlap(topic, filter)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<Rule> rulesOf(ClientIdentity client) {
        return client.username() == null ? anonymous : byUser.getOrDefault(client.username(), List.of());
    }

    private static Boolean decide(List<Rule> rules, ClientIdentity client, TopicName topic, Access wanted,
            boolean substitute) {
        for (Rule rule : rules) {
            TopicFilter filter = substitute ? substitute(rule.topic(), client) : rule.filter();
            if (filter != null && filter.matches(topic)) {
                if (rule.access() == Access.DENY) {
                    return false;
                }
                if (rule.access().grants(wanted)) {
                    return true;
                }
            }
        }
        return null;
    }

    /**
     * The pattern's filter for this client, or null when it names a user name the client does not have, or
     * one with '+' or '#' in it, as Mosquitto does: a client id "#" must not turn {@code x/%c} into {@code x/#}.
     */
    private static TopicFilter substitute(String pattern, ClientIdentity client) {
        if (pattern.contains("%u") && (client.username() == null || hasWildcard(client.username()))) {
            return null;
        }
        if (pattern.contains("%c") && hasWildcard(client.clientId())) {
            return null;
        }
        String topic = pattern.replace("%c", client.clientId());
        topic = client.username() == null ? topic : topic.replace("%u", client.username());
        return TopicFilter.parseOrNull(topic, Integer.MAX_VALUE);
    }

    private static boolean hasWildcard(String name) {
        return name.indexOf('+') >= 0 || name.indexOf('#') >= 0;
    }

    /** True when some topic name matches both filters. */
    static boolean overlap(TopicFilter a, TopicFilter b) {
        for (int i = 0; i < Math.max(a.levelCount(), b.levelCount()); i++) {
            String p = i < a.levelCount() ? a.level(i) : null;
            String q = i < b.levelCount() ? b.level(i) : null;
            if ("#".equals(p) || "#".equals(q)) {
                return true;
            }
            if (p == null || q == null) {
                return false;
            }
            if (!p.equals(q) && !p.equals("+") && !q.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /** True when every topic name the filter matches also matches the deny rule's filter. */
    static boolean covers(TopicFilter deny, TopicFilter filter) {
        for (int i = 0; i < deny.levelCount(); i++) {
            String d = deny.level(i);
            if (d.equals("#")) {
                return true;
            }
            if (i >= filter.levelCount() || filter.level(i).equals("#")) {
                return false;
            }
            // A "+" in the deny covers any one level; a named level covers only itself, not the filter's "+".
            if (!d.equals("+") && !d.equals(filter.level(i))) {
                return false;
            }
        }
        return deny.levelCount() == filter.levelCount();
    }
}
