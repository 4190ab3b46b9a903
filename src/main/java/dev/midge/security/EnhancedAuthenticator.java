package dev.midge.security;

/**
 * An MQTT 5 enhanced authentication method (CONNECT's Authentication Method, then AUTH packets). Implementations
 * are CDI beans; the broker offers the method they name.
 */
public interface EnhancedAuthenticator {

    /** The Authentication Method name clients ask for, e.g. {@code SCRAM-SHA-256}. */
    String method();

    /** Begins an exchange for one connection (or one re-authentication). */
    AuthExchange begin(String clientId);

    /** One connection's exchange: each call answers the client's latest Authentication Data. */
    interface AuthExchange {

        /** @param clientData the client's Authentication Data, or null when it sent none */
        AuthStep respond(byte[] clientData);
    }

    /** What the server does next, with the Authentication Data to send (may be null). */
    record AuthStep(Outcome outcome, byte[] data) {

        public enum Outcome { SUCCESS, CONTINUE, FAILURE }

        public static AuthStep success(byte[] data) {
            return new AuthStep(Outcome.SUCCESS, data);
        }

        public static AuthStep challenge(byte[] data) {
            return new AuthStep(Outcome.CONTINUE, data);
        }

        public static AuthStep failure() {
            return new AuthStep(Outcome.FAILURE, null);
        }
    }
}
