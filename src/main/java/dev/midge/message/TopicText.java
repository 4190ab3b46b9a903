package dev.midge.message;

/** What {@link TopicName} and {@link TopicFilter} share: the text, split into levels once. Equal by class and text. */
abstract class TopicText {

    private final String text;
    /** The levels that match: a shared filter's are those of its inner filter. Never changed. */
    final String[] levels;

    TopicText(String text, String[] levels) {
        this.text = text;
        this.levels = levels;
    }

    public final String text() {
        return text;
    }

    public final int levelCount() {
        return levels.length;
    }

    public final String level(int depth) {
        return levels[depth];
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && text.equals(((TopicText) o).text);
    }

    @Override
    public final int hashCode() {
        return text.hashCode();
    }

    @Override
    public final String toString() {
        return text;
    }
}
