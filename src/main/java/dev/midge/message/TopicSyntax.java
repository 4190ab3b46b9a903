package dev.midge.message;

/** The character rules shared by {@link TopicName} and {@link TopicFilter}, and the split into levels. */
final class TopicSyntax {

    /** Longest topic or filter the spec allows (a UTF-8 string of at most 65,535 bytes). */
    static final int MAX_LENGTH = 65_535;

    private TopicSyntax() {
    }

    /** What is wrong with the text as a topic name, or null when nothing is. */
    static String nameProblem(String text, int maxLevels) {
        String problem = sizeProblem(text, maxLevels);
        if (problem != null) {
            return problem;
        }
        int levels = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '#') {
                return "a topic name may not contain '" + c + "'";
            } else if (c == '\u0000') {
                return "contains U+0000";
            } else if (c == '/' && ++levels > maxLevels) {
                return "more than " + maxLevels + " levels";
            }
        }
        return null;
    }

    /** What is wrong with the text as a topic filter (not a shared one), or null when nothing is. */
    static String filterProblem(String text, int maxLevels) {
        String problem = sizeProblem(text, maxLevels);
        if (problem != null) {
            return problem;
        }
        int levels = 1;
        int levelStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains U+0000";
            } else if (c == '/') {
                if (++levels > maxLevels) {
                    return "more than " + maxLevels + " levels";
                }
                levelStart = i + 1;
            } else if (c == '#' && (i != levelStart || i != text.length() - 1)) {
                return "'#' must be the whole last level";
            } else if (c == '+' && (i != levelStart || (i + 1 < text.length() && text.charAt(i + 1) != '/'))) {
                return "'+' must be a whole level";
            }
        }
        return null;
    }

    private static String sizeProblem(String text, int maxLevels) {
        if (text == null || text.isEmpty()) {
            return "empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        return maxLevels < 1 ? "more than " + maxLevels + " levels" : null;
    }

    /** Splits on '/', keeping empty levels ("a//b", "/a", "a/" all have an empty level). */
    static String[] levels(String text) {
        int count = 1;
        for (int i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) {
            count++;
        }
        String[] levels = new String[count];
        int start = 0;
        for (int n = 0; n < count - 1; n++) {
            int slash = text.indexOf('/', start);
            levels[n] = text.substring(start, slash);
            start = slash + 1;
        }
        levels[count - 1] = text.substring(start);
        return levels;
    }
}
