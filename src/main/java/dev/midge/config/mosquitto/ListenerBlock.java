package dev.midge.config.mosquitto;

/**
 * One Mosquitto listener as the file describes it: a {@code listener} line and the options after it, or the
 * default listener ({@code port}, {@code bind_address} and the options before any {@code listener}).
 */
final class ListenerBlock {

    final ConfLine declaredAt;
    Integer port;
    String address;
    boolean webSockets;
    boolean ipv6;
    ConfLine certFile;
    ConfLine keyFile;
    ConfLine caFile;
    boolean requireCertificate;
    boolean identityAsUsername;
    boolean subjectAsUsername;
    ConfLine maxConnections;
    /** The name Midge knows it by: {@code mqtt}, {@code tls}, {@code ws}, {@code wss} or a midge.listeners key. */
    String midgeName;
    final Security security = new Security();

    /** {@code allow_anonymous}, {@code password_file} and {@code acl_file}, for all or for one listener. */
    static final class Security {
        ConfLine allowAnonymous;
        ConfLine passwordFile;
        ConfLine aclFile;

        boolean isEmpty() {
            return allowAnonymous == null && passwordFile == null && aclFile == null;
        }
    }

    ListenerBlock(ConfLine declaredAt) {
        this.declaredAt = declaredAt;
    }

    boolean tls() {
        return certFile != null;
    }

    /** Whether any option beyond its port and address was given, which makes Mosquitto open it. */
    boolean hasOwnOptions() {
        return certFile != null || keyFile != null || caFile != null || requireCertificate || identityAsUsername
                || subjectAsUsername || webSockets || ipv6;
    }

    /** Midge's name for this kind of listener: {@code mqtt}, {@code tls}, {@code ws} or {@code wss}. */
    String kind() {
        if (webSockets) {
            return tls() ? "wss" : "ws";
        }
        return tls() ? "tls" : "mqtt";
    }

    /** {@code max_connections} as Mosquitto keeps it: -1 when unset or negative. */
    int maxConnections() {
        if (maxConnections == null) {
            return -1;
        }
        int max = MappingTarget.integer(maxConnections);
        return max < 0 ? -1 : max;
    }

    /** The address to bind, or null for every interface. */
    String wantedAddress() {
        return address != null ? address : (ipv6 ? "::" : null);
    }

    /** Whether both serve the same certificate and ask the same of clients. */
    boolean sameTls(ListenerBlock other) {
        return value(certFile).equals(value(other.certFile)) && value(keyFile).equals(value(other.keyFile))
                && value(caFile).equals(value(other.caFile)) && requireCertificate == other.requireCertificate
                && identityAsUsername == other.identityAsUsername && subjectAsUsername == other.subjectAsUsername;
    }

    private static String value(ConfLine line) {
        return line == null ? "" : line.value();
    }

    String where() {
        return declaredAt == null ? "the default listener" : declaredAt.where();
    }
}
