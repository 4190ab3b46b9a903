package dev.midge;

import dev.midge.config.mosquitto.MosquittoConfSourceFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Mosquitto's command-line option for its configuration file, {@code -c FILE} or {@code --config-file FILE}:
 * it becomes {@code midge.mosquitto-conf}, so {@code java -jar quarkus-run.jar -c mosquitto.conf} works as
 * {@code mosquitto -c mosquitto.conf} does. Other arguments pass through.
 */
final class MosquittoArguments {

    private MosquittoArguments() {
    }

    static String[] apply(String... args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-c") || args[i].equals("--config-file")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a file name");
                }
                System.setProperty(MosquittoConfSourceFactory.KEY, args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }
}
