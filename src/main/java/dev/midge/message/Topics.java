package dev.midge.message;

/** Rules for MQTT topic names and topic filters. */
public final class Topics {

    /** Longest topic or filter the spec allows (a UTF-8 string of at most 65,535 bytes). */
    private static final int MAX_LENGTH = 65_535;

    private Topics() {
    }

    /** Splits on '/', keeping empty levels ("a//b", "/a", "a/" all have an empty level). */
    public static String[] levels(String topicOrFilter) {
        return topicOrFilter.split("/", -1);
    }

    /** True when the topic or filter has more than {@code max} levels; counts no further than needed. */
    public static boolean hasMoreLevelsThan(String topicOrFilter, int max) {
        int levels = 1;
        for (int i = topicOrFilter.indexOf('/'); i >= 0; i = topicOrFilter.indexOf('/', i + 1)) {
            if (++levels > max) {
                return true;
            }
        }
        return false;
    }

    public static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > MAX_LENGTH || filter.indexOf('\u0000') >= 0) {
            return false;
        }
        String[] levels = levels(filter);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                if (i != levels.length - 1) {
                    return false;
                }
            } else if (!level.equals("+") && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** True when the filter matches the topic name; both must be valid. */
    public static boolean matches(String filter, String topic) {
        String[] f = levels(filter);
        String[] t = levels(topic);
        boolean dollar = topic.startsWith("$");
        for (int i = 0; i < f.length; i++) {
            String level = f[i];
            if (level.equals("#")) {
                return !(i == 0 && dollar);
            }
            if (i >= t.length) {
                return false;
            }
            if (level.equals("+")) {
                if (i == 0 && dollar) {
                    return false;
                }
            } else if (!level.equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
