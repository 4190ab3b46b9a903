package dev.midge.logging;

import dev.midge.config.MidgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * With {@code midge.log.json=true}, the console writes {@link JsonLogFormatter} lines. The Quarkus extension
 * for JSON logs does not resolve for this platform version, so the formatter is put on the console handler
 * first thing at start-up (see BrokerLifecycle): the few lines Quarkus prints before that stay plain text.
 */
@ApplicationScoped
public class JsonLogging {

    private final MidgeConfig config;

    public JsonLogging(MidgeConfig config) {
        this.config = config;
    }

    public void install() {
        if (config.log().json()) {
            for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
                useJson(handler);
            }
        }
    }

    private static void useJson(Handler handler) {
        if (handler instanceof ConsoleHandler) {
            handler.setFormatter(new JsonLogFormatter());
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler nested : ext.getHandlers()) {
                useJson(nested);
            }
        }
    }
}
