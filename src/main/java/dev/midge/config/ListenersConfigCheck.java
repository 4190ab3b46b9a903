package dev.midge.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The checks of the listeners' certificates ({@code midge.tls.*} and each {@code midge.listeners.<name>.*}), of
 * their connection limits and of the names {@code midge.listener-auth} may use; each problem names its key, as
 * {@link ConfigValidator}'s do.
 */
final class ListenersConfigCheck {

    /** The built-in listeners, whose names {@code midge.listeners} may not take. */
    private static final Set<String> BUILT_IN = Set.of("mqtt", "tls", "ws", "wss");

    private final Function<String, String> describe;
    private final List<String> problems;

    /**
     * @param describe a key with its value and where it came from
     * @param problems where problems are added
     */
    ListenersConfigCheck(Function<String, String> describe, List<String> problems) {
        this.describe = describe;
        this.problems = problems;
    }

    void check(MidgeConfig c) {
        certificate("midge.tls.", c.tls());
        connections("midge.max-connections", c.maxConnections());
        connections("midge.mqtt.max-connections", c.mqtt().maxConnections());
        connections("midge.tls.max-connections", c.tls().maxConnections());
        connections("midge.websocket.max-connections", c.websocket().maxConnections());
        connections("midge.websocket.tls-max-connections", c.websocket().tlsMaxConnections());
        webSocketPath("midge.websocket.path", c.websocket().path());
        c.listeners().forEach((name, listener) -> {
            String prefix = "midge.listeners." + name + ".";
            if (BUILT_IN.contains(name)) {
                problems.add("midge.listeners." + name + " takes the name of a built-in listener: give it another");
            }
            if (listener.port() < 0 || listener.port() > 65_535) {
                problems.add(describe.apply(prefix + "port") + " must be between 0 and 65535");
            }
            if (listener.host().isPresent() && listener.host().get().isBlank()) {
                problems.add(describe.apply(prefix + "host") + " must not be empty");
            }
            certificate(prefix, listener);
            connections(prefix + "max-connections", listener.maxConnections());
            listener.websocketPath().ifPresent(path -> webSocketPath(prefix + "websocket-path", path));
        });
        for (String listener : new TreeSet<>(c.listenerAuth().keySet())) {
            if (!BUILT_IN.contains(listener) && !c.listeners().containsKey(listener)) {
                problems.add("midge.listener-auth." + listener + " names no listener: use mqtt, tls, ws, wss or the"
                        + " name of one of midge.listeners");
            }
        }
    }

    /** A connection limit: -1 (none) or at least 1. */
    private void connections(String key, int max) {
        if (max != -1 && max < 1) {
            problems.add(describe.apply(key) + " must be -1 (no limit) or between 1 and " + Integer.MAX_VALUE);
        }
    }

    private void webSocketPath(String key, String path) {
        if (!path.startsWith("/") && !path.equals(WebSocketConfig.ANY_PATH)) {
            problems.add(describe.apply(key) + " must start with / (or be " + WebSocketConfig.ANY_PATH
                    + " for any path)");
        }
    }

    private void certificate(String prefix, ServerCertificateConfig tls) {
        if (tls.certFile().isPresent() != tls.keyFile().isPresent()) {
            problems.add(prefix + "cert-file and " + prefix + "key-file must be set together");
        }
        if (tls.clientAuth() != ServerCertificateConfig.ClientAuth.NONE && tls.caFile().isEmpty()) {
            problems.add(describe.apply(prefix + "client-auth") + " needs " + prefix + "ca-file");
        }
    }
}
