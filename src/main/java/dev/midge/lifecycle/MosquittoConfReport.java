package dev.midge.lifecycle;

import dev.midge.config.mosquitto.MosquittoConfSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

/** Names each option of the Mosquitto configuration that Midge cannot honour, one WARN line each. */
final class MosquittoConfReport {

    private static final Logger LOG = Logger.getLogger(MosquittoConfReport.class);

    private MosquittoConfReport() {
    }

    static void log(Config config) {
        for (ConfigSource source : config.getConfigSources()) {
            if (source instanceof MosquittoConfSource mosquitto) {
                LOG.infof("Running the Mosquitto configuration %s", mosquitto.file());
                mosquitto.notHonoured().forEach(line -> LOG.warnf("Not honoured: %s", line));
            }
        }
    }
}
