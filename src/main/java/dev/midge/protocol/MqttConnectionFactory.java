package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.security.ListenerSecurity;
import dev.midge.security.LoginThrottle;
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
    private final BrokerStore store;
    private final LoginThrottle throttle;

    public MqttConnectionFactory(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
            EnhancedAuthenticators authenticators, BrokerStore store, LoginThrottle throttle) {
        this.store = store;
        this.throttle = throttle;
        this.router = router;
        this.sessions = sessions;
        this.stats = stats;
        this.config = config;
        this.authenticators = authenticators;
    }

    /**
     * @param security the authenticator and authorizer of the listener the connection came through
     * @param identityFromCertificate take the user name from the client certificate
     */
    public MqttConnection create(ListenerSecurity security, boolean identityFromCertificate) {
        return new MqttConnection(router, sessions, stats, config, authenticators,
                new PasswordLogin(security.authenticator(), throttle, stats), security.authorizer(), store,
                identityFromCertificate);
    }
}
