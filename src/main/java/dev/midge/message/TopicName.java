package dev.midge.message;

/**
 * A valid MQTT topic name, split into its levels once, when it is made: what a message is published to.
 * Equal by text. Matching against a filter allocates nothing.
 */
public final class TopicName extends TopicText {

    private TopicName(String text) {
        super(text, TopicSyntax.levels(text));
    }

    /** The topic name; throws {@link InvalidTopicException} saying what is wrong when the text is not one. */
    public static TopicName of(String text) {
        return of(text, Integer.MAX_VALUE);
    }

    /** As {@link #of(String)}, also refusing a name of more than {@code maxLevels} levels. */
    public static TopicName of(String text, int maxLevels) {
        String problem = TopicSyntax.nameProblem(text, maxLevels);
        if (problem != null) {
            throw new InvalidTopicException("invalid topic name '" + text + "': " + problem);
        }
        return new TopicName(text);
    }

    /** The topic name, or null when the text is not one or has more than {@code maxLevels} levels. */
    public static TopicName parseOrNull(String text, int maxLevels) {
        return TopicSyntax.nameProblem(text, maxLevels) == null ? new TopicName(text) : null;
    }

    /** True when the text is a valid topic name; splits nothing. */
    public static boolean isValid(String text) {
        return TopicSyntax.nameProblem(text, Integer.MAX_VALUE) == null;
    }

    /**
     * Whether a filter's '+' or '#' at this depth may stand for this level of a topic: not for the first level
     * of a topic starting with '$' ({@code $SYS/...}), which only filters naming that level match.
     */
    public static boolean wildcardMatches(int depth, String level) {
        return depth > 0 || !level.startsWith("$");
    }

    /** As {@link #wildcardMatches(int, String)} for this topic's level at the depth. */
    public boolean wildcardMatchesAt(int depth) {
        return wildcardMatches(depth, levels[0]);
    }

    /** The broker's own topics, {@code $SYS/...}: neither stored nor sent to other nodes. */
    public boolean isSys() {
        return text().startsWith("$SYS/");
    }
}
