package dev.midge.security;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a CONNECT may proceed. Called on the connection's event loop, so it must not block: work that
 * takes time, such as a password hash, runs elsewhere and completes the stage there.
 */
public interface Authenticator {

    /** {@code UNAVAILABLE}: the broker cannot check now (its {@link CryptoWorkers} are saturated). */
    enum Outcome { ACCEPTED, BAD_CREDENTIALS, NOT_AUTHORIZED, UNAVAILABLE }

    /**
     * @param username null when the CONNECT has none
     * @param password null when the CONNECT has none
     * @return the outcome, already complete when nothing had to be computed; completed on any thread otherwise
     */
    CompletionStage<Outcome> authenticate(String clientId, String username, byte[] password);
}
