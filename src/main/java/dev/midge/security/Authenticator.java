package dev.midge.security;

/** Decides whether a CONNECT may proceed. Runs on the connection's event loop, so it must not block. */
public interface Authenticator {

    enum Outcome { ACCEPTED, BAD_CREDENTIALS, NOT_AUTHORIZED }

    /**
     * @param username null when the CONNECT has none
     * @param password null when the CONNECT has none
     */
    Outcome authenticate(String clientId, String username, byte[] password);
}
