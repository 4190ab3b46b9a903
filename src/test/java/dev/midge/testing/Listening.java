package dev.midge.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Waits for a server process of a test to accept connections on a loopback port. */
public final class Listening {

    private Listening() {
    }

    /** True once the port accepts a connection; false when the process ended or the time ran out first. */
    public static boolean await(int port, Process process, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        return false;
    }
}
