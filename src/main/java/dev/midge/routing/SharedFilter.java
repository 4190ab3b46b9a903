package dev.midge.routing;

import dev.midge.message.Topics;


/** A shared subscription's filter, {@code $share/{group}/{filter}}, taken apart. */
public record SharedFilter(String group, String filter) {

    private static final String PREFIX = "$share/";

    /** The parts of a shared filter; null when the filter is not shared or not valid. */
    public static SharedFilter parse(String filter) {
        if (!filter.startsWith(PREFIX)) {
            return null;
        }
        int slash = filter.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return null;
        }
        String group = filter.substring(PREFIX.length(), slash);
        String rest = filter.substring(slash + 1);
        if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || !Topics.isValidFilter(rest)) {
            return null;
        }
        return new SharedFilter(group, rest);
    }

    public static boolean isShared(String filter) {
        return filter.startsWith(PREFIX);
    }
}
