package dev.midge.config.mosquitto;

import dev.midge.config.WebSocketConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps Mosquitto's listeners onto Midge's: the first of each kind onto the built-in plain MQTT, TLS, WebSocket
 * and secure WebSocket listeners, which share one address (and TLS and secure WebSocket one certificate); every
 * other one, such as a second listener of a kind or one on another address, onto a {@code midge.listeners}
 * entry of its own, named after its kind and port ({@code mqtt-1884}, {@code tls-8884}).
 */
final class ListenerMapping {

    /** Why a WebSocket listener from the file takes the upgrade at any path. */
    private static final String ANY_PATH_WHY = " (Mosquitto's WebSocket listeners accept any path)";

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
            case "use_subject_as_username" -> current.subjectAsUsername = MappingTarget.bool(line);
            case "max_connections" -> {
                MappingTarget.integer(line);
                current.maxConnections = line;
            }
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
        if (defaultListener.maxConnections() != -1) {
            // Mosquitto opens its default listener for a max_connections before any listener line, as for port.
            defaultListenerUsed = true;
            localOnly = false;
        }
        if (localOnly) {
            plainLocalOnly(target);
        } else if (defaultListener.hasOwnOptions()) {
            // As Mosquitto: TLS or WebSocket options before any listener line open the default listener too.
            defaultListenerUsed = true;
        }
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
        Map<String, ListenerBlock> builtIn = new HashMap<>();
        Set<String> extraNames = new HashSet<>();
        for (ListenerBlock listener : all) {
            if (fitsBuiltIn(listener, builtIn)) {
                if (builtIn.isEmpty() && listener.wantedAddress() != null) {
                    target.set("midge.mqtt.host", listener.wantedAddress(), listener.where());
                }
                builtIn.put(listener.kind(), listener);
                listener.midgeName = listener.kind();
                mapBuiltIn(listener, target);
            } else {
                listener.midgeName = extraName(listener, extraNames);
                mapExtra(listener, builtIn.isEmpty() ? null : builtIn.values().iterator().next(), target);
            }
        }
        if (!builtIn.containsKey("mqtt")) {
            // The file declares listeners, none of them plain MQTT: Midge must not open one either.
            target.set("midge.mqtt.enabled", "false", "no plain MQTT listener in the file");
        }
        mapSecurity(all, target);
    }

    /**
     * Without a {@code listener}, {@code port} or {@code bind_address} line Mosquitto listens on loopback only, in
     * plain MQTT, whatever certificate or protocol the default listener was given.
     */
    private void plainLocalOnly(MappingTarget target) {
        String why = "Mosquitto ignores it without a listener or port line: it then serves plain MQTT on "
                + "loopback only";
        for (ConfLine line : new ConfLine[] {defaultListener.certFile, defaultListener.keyFile,
                defaultListener.caFile}) {
            if (line != null) {
                target.notHonoured(line, why);
            }
        }
        defaultListener.certFile = null;
        defaultListener.keyFile = null;
        defaultListener.caFile = null;
        defaultListener.webSockets = false;
    }

    /**
     * Whether the listener can be one of Midge's four: the first of its kind, on the address the built-in ones
     * share; a secure WebSocket one also only beside the built-in TLS (same certificate and client checks) and
     * plain WebSocket listeners, whose settings it shares. Any other becomes a {@code midge.listeners} entry.
     */
    private static boolean fitsBuiltIn(ListenerBlock listener, Map<String, ListenerBlock> builtIn) {
        if (builtIn.containsKey(listener.kind())) {
            return false;
        }
        if (!builtIn.isEmpty()
                && !Objects.equals(builtIn.values().iterator().next().wantedAddress(), listener.wantedAddress())) {
            return false;
        }
        if (!listener.kind().equals("wss")) {
            return true;
        }
        ListenerBlock tls = builtIn.get("tls");
        return tls != null && builtIn.containsKey("ws") && tls.sameTls(listener);
    }

    /** {@code mqtt-1884}, {@code tls-8884}, ...; with a number after it when two listeners share a port. */
    private static String extraName(ListenerBlock listener, Set<String> taken) {
        String name = listener.kind() + "-" + listener.port;
        for (int n = 2; taken.contains(name); n++) {
            name = listener.kind() + "-" + listener.port + "-" + n;
        }
        taken.add(name);
        return name;
    }

    private void mapBuiltIn(ListenerBlock listener, MappingTarget target) {
        String where = listener.where();
        String port = Integer.toString(listener.port);
        switch (listener.kind()) {
            case "mqtt" -> {
                target.set("midge.mqtt.port", port, where);
                mapMaxConnections(listener, "midge.mqtt.max-connections", target);
            }
            case "tls" -> {
                target.set("midge.tls.port", port, where);
                mapTls(listener, "midge.tls.", target);
                mapMaxConnections(listener, "midge.tls.max-connections", target);
            }
            case "ws" -> {
                target.set("midge.websocket.enabled", "true", where);
                target.set("midge.websocket.port", port, where);
                // The secure one, built in only beside this one, shares the path.
                target.set("midge.websocket.path", WebSocketConfig.ANY_PATH, where + ANY_PATH_WHY);
                mapMaxConnections(listener, "midge.websocket.max-connections", target);
            }
            default -> {
                target.set("midge.websocket.tls-port", port, where);
                mapMaxConnections(listener, "midge.websocket.tls-max-connections", target);
            }
        }
    }

    /** Mosquitto's 0, as a negative value, means no limit. */
    private static void mapMaxConnections(ListenerBlock listener, String key, MappingTarget target) {
        if (listener.maxConnections != null) {
            int max = listener.maxConnections();
            target.set(key, Integer.toString(max > 0 ? max : -1), listener.maxConnections);
        }
    }

    /** @param builtIn a listener mapped onto the built-in ones, whose address they all bind, or null */
    private void mapExtra(ListenerBlock listener, ListenerBlock builtIn, MappingTarget target) {
        String prefix = "midge.listeners." + listener.midgeName + ".";
        String where = listener.where();
        target.set(prefix + "port", Integer.toString(listener.port), where);
        if (listener.wantedAddress() != null) {
            target.set(prefix + "host", listener.wantedAddress(), where);
        } else if (builtIn != null && builtIn.wantedAddress() != null) {
            target.set(prefix + "host", "0.0.0.0", where + " (no address: all interfaces)");
        }
        if (listener.webSockets) {
            target.set(prefix + "websocket", "true", where);
            target.set(prefix + "websocket-path", WebSocketConfig.ANY_PATH, where + ANY_PATH_WHY);
        }
        if (listener.tls()) {
            mapTls(listener, prefix, target);
        }
        mapMaxConnections(listener, prefix + "max-connections", target);
    }

    private static void mapTls(ListenerBlock listener, String prefix, MappingTarget target) {
        String where = listener.where();
        target.set(prefix + "cert-file", listener.certFile.value(), listener.certFile);
        if (listener.keyFile == null) {
            throw new MosquittoConfException(where, "certfile without keyfile");
        }
        target.set(prefix + "key-file", listener.keyFile.value(), listener.keyFile);
        if (listener.caFile != null) {
            target.set(prefix + "ca-file", listener.caFile.value(), listener.caFile);
        }
        target.set(prefix + "client-auth", listener.requireCertificate ? "required" : "none", where);
        // Mosquitto takes the CN when both are set.
        boolean certificateName = listener.identityAsUsername || listener.subjectAsUsername;
        target.set(prefix + "use-identity-as-username", Boolean.toString(certificateName), where);
        if (certificateName) {
            target.set(prefix + "identity-source", listener.identityAsUsername ? "cn" : "subject", where);
        }
    }

    private void mapSecurity(List<ListenerBlock> all, MappingTarget target) {
        if (!perListenerSettings) {
            mapSecurity(global, "midge.auth.", target);
            return;
        }
        for (ListenerBlock listener : all) {
            if (!listener.security.isEmpty() || !localOnly) {
                mapSecurity(listener.security, "midge.listener-auth." + listener.midgeName + ".", target);
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
