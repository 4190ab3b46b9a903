package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.routing.Router;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the per-socket protocol handler, wired to the broker's shared parts. */
@ApplicationScoped
public class MqttConnectionFactory {

    private final Router router;
    private final SessionRegistry sessions;
    private final BrokerStats stats;
    private final MidgeConfig config;
    private final EnhancedAuthenticators authenticators;

    public MqttConnectionFactory(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
            EnhancedAuthenticators authenticators) {
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.config = config;
        this.authenticators = authenticators;
    }

    public MqttConnection create() {
        return new MqttConnection(router, sessions, stats, config, authenticators);
    }
}
