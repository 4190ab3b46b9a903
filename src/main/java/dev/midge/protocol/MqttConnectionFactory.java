package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.config.ServerCertificateConfig.IdentitySource;
import dev.midge.limits.Limits;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.security.ListenerSecurity;
import dev.midge.security.LoginThrottle;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;

/** Makes the per-socket protocol handler, wired to the broker's shared parts. */
@ApplicationScoped
public class MqttConnectionFactory {

    private final ConnectionServices services;

    public MqttConnectionFactory(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
            EnhancedAuthenticators authenticators, BrokerStore store, LoginThrottle throttle, Limits limits) {
        this.services = new ConnectionServices(router, sessions, stats, config, authenticators, store, throttle,
                limits);
    }

    /**
     * @param security the authenticator and authorizer of the listener the connection came through
     * @param certificateIdentity the name of the client certificate that is the user name, or null for the
     *        CONNECT's user name
     * @param maxPacketSize the largest packet the connection's pipeline takes
     */
    public MqttConnection create(ListenerSecurity security, IdentitySource certificateIdentity, int maxPacketSize) {
        return new MqttConnection(services, security, certificateIdentity, maxPacketSize);
    }

    /** From a reload: the longest keepalive clients connecting from now on may have, or empty for none. */
    public void maxKeepalive(OptionalInt max) {
        services.keepalive().set(max);
    }

    /** From a reload: the largest payload of PUBLISHes from the next one on, 0 for no limit. */
    public void maxPayloadSize(int max) {
        services.publishTerms().maxPayloadSize(max);
    }

    /** From a reload: whether clients connecting from now on may publish retained messages. */
    public void retainAvailable(boolean available) {
        services.publishTerms().retainAvailable(available);
    }
}
