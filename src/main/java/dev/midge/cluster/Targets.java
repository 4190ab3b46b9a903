package dev.midge.cluster;

/**
 * Whom a forwarded message is for when not for every matching subscription of the receiving node: the sessions
 * that were on a node that left ({@code n:<node id>}), which the receiving node adopts, or one client's session
 * that just moved to the receiving node ({@code c:<client id>}).
 */
final class Targets {

    private static final String SESSIONS_OF = "n:";
    private static final String CLIENT = "c:";

    private Targets() {
    }

    static String sessionsOf(String nodeId) {
        return SESSIONS_OF + nodeId;
    }

    static String client(String clientId) {
        return CLIENT + clientId;
    }

    /** The client whose session the target names, or null when it names something else. */
    static String clientOf(String target) {
        return target.startsWith(CLIENT) ? target.substring(CLIENT.length()) : null;
    }

    /** The node whose sessions the target names, or null when it names something else. */
    static String nodeOf(String target) {
        return target.startsWith(SESSIONS_OF) ? target.substring(SESSIONS_OF.length()) : null;
    }
}
