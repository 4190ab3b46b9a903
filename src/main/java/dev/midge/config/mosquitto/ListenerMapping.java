package dev.midge.config.mosquitto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps Mosquitto's listeners onto Midge's four: plain MQTT, TLS, WebSocket and secure WebSocket. Midge binds
 * all of them on one address and shares one server certificate between TLS and secure WebSocket, so a second
 * listener of a kind, a second address or a second certificate is reported as not honoured.
 */
final class ListenerMapping {

    private final List<ListenerBlock> listeners = new ArrayList<>();
    private final ListenerBlock defaultListener = new ListenerBlock(null);
    private final ListenerBlock.Security global = new ListenerBlock.Security();
    private ListenerBlock current = defaultListener;
    private boolean defaultListenerUsed;
    private boolean localOnly = true;
    private boolean perListenerSettings;

    void perListenerSettings(boolean on) {
        perListenerSettings = on;
    }

    /** True when the line is a listener or security option, now recorded. */
    boolean accept(ConfLine line, MappingTarget target) {
        switch (line.option()) {
            case "listener" -> {
                localOnly = false;
                current = new ListenerBlock(line);
                current.port = port(line, line.word(0));
                current.address = line.word(1);
                listeners.add(current);
            }
            case "port" -> {
                localOnly = false;
                defaultListenerUsed = true;
                defaultListener.port = port(line, line.word(0));
            }
            case "bind_address" -> {
                localOnly = false;
                defaultListenerUsed = true;
                defaultListener.address = MappingTarget.string(line);
            }
            case "protocol" -> {
                switch (line.value()) {
                    case "mqtt" -> current.webSockets = false;
                    case "websockets" -> current.webSockets = true;
                    default -> target.notHonoured(line, "Midge serves MQTT over TCP and WebSockets only");
                }
            }
            case "socket_domain" -> current.ipv6 = line.value().equals("ipv6");
            case "certfile" -> current.certFile = line;
            case "keyfile" -> current.keyFile = line;
            case "cafile" -> current.caFile = line;
            case "require_certificate" -> current.requireCertificate = MappingTarget.bool(line);
            case "use_identity_as_username" -> current.identityAsUsername = MappingTarget.bool(line);
            case "allow_anonymous" -> security().allowAnonymous = line;
            case "password_file" -> security().passwordFile = line;
            case "acl_file" -> security().aclFile = line;
            default -> {
                return false;
            }
        }
        return true;
    }

    private ListenerBlock.Security security() {
        return perListenerSettings ? current.security : global;
    }

    private static int port(ConfLine line, String word) {
        try {
            int port = Integer.parseInt(word == null ? "" : word);
            if (port < 1 || port > 65_535) {
                throw new MosquittoConfException(line, "invalid port value (" + port + ")");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new MosquittoConfException(line, "invalid port value \"" + word + "\"");
        }
    }

    void finish(MappingTarget target) {
        List<ListenerBlock> all = new ArrayList<>();
        if (defaultListenerUsed || (localOnly && listeners.isEmpty())) {
            if (defaultListener.port == null) {
                defaultListener.port = 1883;
            }
            all.add(defaultListener);
        }
        all.addAll(listeners);
        if (localOnly) {
            // Mosquitto 2.0 without any listener: loopback only, anonymous clients allowed.
            target.set("midge.mqtt.host", "127.0.0.1", "no listener configured (local only)");
            target.set("midge.auth.allow-anonymous", "true", "no listener configured (local only)");
        }
        Map<String, ListenerBlock> byKind = new HashMap<>();
        String address = null;
        for (ListenerBlock listener : all) {
            if (byKind.putIfAbsent(listener.kind(), listener) != null) {
                target.notHonoured(listener.declaredAt, "Midge has one " + listener.kind()
                        + " listener, the one at " + byKind.get(listener.kind()).where());
                continue;
            }
            String wanted = listener.address != null ? listener.address : (listener.ipv6 ? "::" : null);
            if (wanted != null && address == null) {
                address = wanted;
                target.set("midge.mqtt.host", wanted, listener.where());
            } else if (wanted != null && !wanted.equals(address)) {
                target.notHonoured(listener.declaredAt, "Midge binds every listener on one address, " + address);
            }
            mapListener(listener, byKind, target);
        }
        if (!byKind.containsKey("mqtt")) {
            // The file declares listeners, none of them plain MQTT: Midge must not open one either.
            target.set("midge.mqtt.enabled", "false", "no plain MQTT listener in the file");
        }
        mapSecurity(all, target);
    }

    private void mapListener(ListenerBlock listener, Map<String, ListenerBlock> byKind, MappingTarget target) {
        String where = listener.where();
        String port = Integer.toString(listener.port);
        switch (listener.kind()) {
            case "mqtt" -> target.set("midge.mqtt.port", port, where);
            case "tls" -> target.set("midge.tls.port", port, where);
            case "ws" -> {
                target.set("midge.websocket.enabled", "true", where);
                target.set("midge.websocket.port", port, where);
            }
            default -> {
                target.set("midge.websocket.enabled", "true", where);
                target.set("midge.websocket.tls-port", port, where);
            }
        }
        if (!listener.tls()) {
            return;
        }
        ListenerBlock tls = byKind.get("tls");
        if (listener.kind().equals("wss") && tls != null) {
            if (!sameCertificate(tls, listener)) {
                target.notHonoured(listener.certFile, "Midge's secure WebSocket listener uses the TLS listener's "
                        + "certificate, from " + tls.where());
            }
            return;
        }
        target.set("midge.tls.cert-file", listener.certFile.value(), listener.certFile);
        if (listener.keyFile == null) {
            throw new MosquittoConfException(where, "certfile without keyfile");
        }
        target.set("midge.tls.key-file", listener.keyFile.value(), listener.keyFile);
        if (listener.caFile != null) {
            target.set("midge.tls.ca-file", listener.caFile.value(), listener.caFile);
        }
        target.set("midge.tls.client-auth", listener.requireCertificate ? "required" : "none", where);
        target.set("midge.tls.use-identity-as-username", Boolean.toString(listener.identityAsUsername), where);
    }

    private static boolean sameCertificate(ListenerBlock a, ListenerBlock b) {
        return a.certFile.value().equals(b.certFile.value());
    }

    private void mapSecurity(List<ListenerBlock> all, MappingTarget target) {
        if (!perListenerSettings) {
            mapSecurity(global, "midge.auth.", target);
            return;
        }
        for (ListenerBlock listener : all) {
            if (!listener.security.isEmpty() || !localOnly) {
                mapSecurity(listener.security, "midge.listener-auth." + listener.kind() + ".", target);
            }
        }
    }

    private void mapSecurity(ListenerBlock.Security security, String prefix, MappingTarget target) {
        if (security.passwordFile != null) {
            target.set(prefix + "password-file", MappingTarget.string(security.passwordFile), security.passwordFile);
        }
        if (security.aclFile != null) {
            target.set(prefix + "acl-file", MappingTarget.string(security.aclFile), security.aclFile);
        }
        if (security.allowAnonymous != null) {
            target.set(prefix + "allow-anonymous", Boolean.toString(MappingTarget.bool(security.allowAnonymous)),
                    security.allowAnonymous);
        } else if (!localOnly) {
            // Mosquitto 2.0 refuses anonymous clients unless a listener allows them explicitly.
            target.set(prefix + "allow-anonymous", "false", "Mosquitto 2.0's default");
        }
    }
}
