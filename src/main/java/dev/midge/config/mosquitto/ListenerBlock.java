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

    /** Midge's name for this kind of listener: {@code mqtt}, {@code tls}, {@code ws} or {@code wss}. */
    String kind() {
        if (webSockets) {
            return tls() ? "wss" : "ws";
        }
        return tls() ? "tls" : "mqtt";
    }

    String where() {
        return declaredAt == null ? "the default listener" : declaredAt.where();
    }
}
