package dev.midge.routing;

import java.util.Collection;

/**
 * Which matching shared groups one match serves, each group named by its {@code $share/g/f} text, and what
 * hears of the member picked in each. A message published here goes to every group ({@link #ALL}); a message
 * another node forwarded only to the groups that node sent it here for, as the others got it elsewhere.
 */
@FunctionalInterface
public interface SharedGroups {

    SharedGroups ALL = group -> true;

    SharedGroups NONE = group -> false;

    /** True when the group takes the message in this match. */
    boolean includes(String sharedFilter);

    /** The member the match picked in a group it includes. */
    default void picked(String sharedFilter, Subscriber member) {
    }

    /** Only the groups named. */
    static SharedGroups named(Collection<String> groups) {
        return groups.isEmpty() ? NONE : groups::contains;
    }
}
