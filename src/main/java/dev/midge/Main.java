package dev.midge;

import dev.midge.lifecycle.HangupReload;
import dev.midge.persistence.mosquitto.MosquittoDbImport;
import dev.midge.security.PasswdCommand;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import sun.misc.Signal;

/**
 * Starts the broker. SIGTERM and SIGINT shut it down cleanly with exit status 0, as Kubernetes expects. With
 * {@code passwd} as first argument it manages a password file instead, without starting anything. With
 * {@code -c FILE} it runs a Mosquitto configuration file; {@code migrate-mosquitto-db} takes over a Mosquitto
 * persistence file.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("passwd")) {
            System.exit(PasswdCommand.run(Arrays.copyOfRange(args, 1, args.length), System.err));
        }
        if (args.length > 0 && args[0].equals("migrate-mosquitto-db")) {
            System.exit(MosquittoDbImport.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        String[] quarkusArgs;
        try {
            quarkusArgs = MosquittoArguments.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Quarkus.run(Broker.class, quarkusArgs);
    }

    /** Runs until a signal or an internal request asks it to stop. */
    public static class Broker implements QuarkusApplication {

        @Override
        public int run(String... args) {
            // Without these handlers the JVM exits with 128+signal after the shutdown hooks.
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
            Signal.handle(new Signal("INT"), signal -> Quarkus.asyncExit(0));
            // The signal thread has the JVM's class loader; beans created and configuration read for SIGHUP need
            // the application's.
            ClassLoader application = Thread.currentThread().getContextClassLoader();
            Signal.handle(new Signal("HUP"), signal -> {
                Thread.currentThread().setContextClassLoader(application);
                Arc.container().instance(HangupReload.class).get().reload();
            });
            Quarkus.waitForExit();
            return 0;
        }
    }
}
