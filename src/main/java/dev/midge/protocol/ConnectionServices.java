package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.limits.Limits;
import dev.midge.persistence.BrokerStore;
import dev.midge.routing.Router;
import dev.midge.security.EnhancedAuthenticators;
import dev.midge.security.LoginThrottle;
import dev.midge.session.SessionRegistry;
import dev.midge.stats.BrokerStats;

/** The broker's shared parts every connection works with; one instance for all of them. */
record ConnectionServices(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
        EnhancedAuthenticators authenticators, BrokerStore store, LoginThrottle throttle, Limits limits,
        KeepaliveCeiling keepalive, PublishTerms publishTerms) {

    /** With the settings a reload may change as configured. */
    ConnectionServices(Router router, SessionRegistry sessions, BrokerStats stats, MidgeConfig config,
            EnhancedAuthenticators authenticators, BrokerStore store, LoginThrottle throttle, Limits limits) {
        this(router, sessions, stats, config, authenticators, store, throttle, limits,
                new KeepaliveCeiling(config.maxKeepalive()),
                new PublishTerms(config.maxPayloadSize(), config.retainAvailable()));
    }
}
