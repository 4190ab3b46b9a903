package dev.midge.message;

/**
 * A valid MQTT topic filter, split into its levels once, when it is made. A shared subscription's filter,
 * {@code $share/{group}/{filter}}, is taken apart then too: its group, and the inner filter that matches
 * topics; its {@link #levelCount()} and {@link #level(int)} are those of the inner filter. Equal by text.
 */
public final class TopicFilter extends TopicText {

    private static final String SHARE_PREFIX = "$share/";

    private final String shareGroup;
    private final TopicFilter inner;

    private TopicFilter(String text) {
        super(text, TopicSyntax.levels(text));
        this.shareGroup = null;
        this.inner = this;
    }

    private TopicFilter(String text, String shareGroup, TopicFilter inner) {
        super(text, inner.levels);
        this.shareGroup = shareGroup;
        this.inner = inner;
    }

    /** The filter; throws {@link InvalidTopicException} saying what is wrong when the text is not one. */
    public static TopicFilter of(String text) {
        return of(text, Integer.MAX_VALUE);
    }

    /**
     * As {@link #of(String)}, also refusing a filter of more than {@code maxLevels} levels, counted in the text
     * as written (a shared filter's {@code $share} and group are two of them).
     */
    public static TopicFilter of(String text, int maxLevels) {
        String problem = problem(text, maxLevels);
        if (problem != null) {
            throw new InvalidTopicException("invalid topic filter '" + text + "': " + problem);
        }
        return parsed(text);
    }

    /** The filter, or null when the text is not one (or has more than {@code maxLevels} levels). */
    public static TopicFilter parseOrNull(String text, int maxLevels) {
        return problem(text, maxLevels) == null ? parsed(text) : null;
    }

    private static String problem(String text, int maxLevels) {
        if (text == null || !looksShared(text)) {
            return TopicSyntax.filterProblem(text, maxLevels);
        }
        int slash = text.indexOf('/', SHARE_PREFIX.length());
        if (slash < 0) {
            return "a shared subscription needs a filter after its group";
        }
        for (int i = SHARE_PREFIX.length(); i < slash; i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return "a shared subscription's group may not contain '+', '#' or U+0000";
            }
        }
        if (slash == SHARE_PREFIX.length()) {
            return "a shared subscription needs a group";
        }
        return TopicSyntax.filterProblem(text.substring(slash + 1), maxLevels - 2);
    }

    /** The filter of a text known to be valid. */
    private static TopicFilter parsed(String text) {
        if (!looksShared(text)) {
            return new TopicFilter(text);
        }
        int slash = text.indexOf('/', SHARE_PREFIX.length());
        return new TopicFilter(text, text.substring(SHARE_PREFIX.length(), slash),
                new TopicFilter(text.substring(slash + 1)));
    }

    /** True when the text begins as a shared subscription's filter does, valid or not. */
    public static boolean looksShared(String text) {
        return text.startsWith(SHARE_PREFIX);
    }

    /** True when the filter matches the topic; a shared filter matches as its inner filter does. */
    public boolean matches(TopicName topic) {
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return topic.wildcardMatchesAt(i);
            }
            if (i >= topic.levelCount()) {
                return false;
            }
            if (level.equals("+")) {
                if (!topic.wildcardMatchesAt(i)) {
                    return false;
                }
            } else if (!level.equals(topic.level(i))) {
                return false;
            }
        }
        return levels.length == topic.levelCount();
    }

    public boolean isShared() {
        return shareGroup != null;
    }

    /** The shared subscription's group, or null when the filter is not shared. */
    public String shareGroup() {
        return shareGroup;
    }

    /** The filter that matches topics: a shared one's inner filter, otherwise this one. */
    public TopicFilter unshared() {
        return inner;
    }

    public boolean hasWildcards() {
        for (String level : levels) {
            if (level.equals("+") || level.equals("#")) {
                return true;
            }
        }
        return false;
    }

}
