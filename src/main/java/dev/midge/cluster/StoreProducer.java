package dev.midge.cluster;

import dev.midge.config.MidgeConfig;
import dev.midge.config.PersistenceConfig;
import dev.midge.persistence.BrokerStore;
import dev.midge.persistence.LocalStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The store the broker writes to: this node's own, and with clustering on the cluster's copy beside it. */
public class StoreProducer {

    @Produces
    @Singleton
    BrokerStore store(MidgeConfig config, @LocalStore BrokerStore local) {
        if (!config.cluster().enabled()) {
            return local;
        }
        return new ReplicatedStore(local, config.persistence().sync() == PersistenceConfig.Sync.ALWAYS);
    }
}
