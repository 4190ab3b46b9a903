package dev.midge;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/** Starts the broker. SIGTERM and SIGINT shut it down cleanly with exit status 0, as Kubernetes expects. */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        Quarkus.run(Broker.class, args);
    }

    /** Runs until a signal or an internal request asks it to stop. */
    public static class Broker implements QuarkusApplication {

        @Override
        public int run(String... args) {
            // Without these handlers the JVM exits with 128+signal after the shutdown hooks.
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
            Signal.handle(new Signal("INT"), signal -> Quarkus.asyncExit(0));
            Quarkus.waitForExit();
            return 0;
        }
    }
}
