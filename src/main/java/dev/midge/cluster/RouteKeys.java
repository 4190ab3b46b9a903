package dev.midge.cluster;

/**
 * Keys of the route map: the owning node's id (a UUID, always 36 characters) followed by the filter, so a
 * node's routes share a prefix and no separator can clash with a character of a filter.
 */
final class RouteKeys {

    private static final int NODE_ID_LENGTH = 36;

    private RouteKeys() {
    }

    static String key(String nodeId, String filter) {
        if (nodeId.length() != NODE_ID_LENGTH) {
            throw new IllegalArgumentException("node id " + nodeId + " is not a UUID");
        }
        return nodeId + filter;
    }

    static String node(String key) {
        return key.substring(0, NODE_ID_LENGTH);
    }

    static String filter(String key) {
        return key.substring(NODE_ID_LENGTH);
    }
}
