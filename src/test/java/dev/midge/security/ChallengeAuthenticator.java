package dev.midge.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * A two-step challenge/response method for tests: the client opens with "hello", the server challenges with a
 * nonce, the client answers with the nonce followed by "-signed".
 */
@ApplicationScoped
public class ChallengeAuthenticator implements EnhancedAuthenticator {

    static final String METHOD = "midge-test-challenge";
    static final byte[] NONCE = "nonce-1".getBytes();

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public AuthExchange begin(String clientId) {
        return new AuthExchange() {
            private boolean challenged;

            @Override
            public AuthStep respond(byte[] clientData) {
                if (!challenged) {
                    challenged = true;
                    return Arrays.equals(clientData, "hello".getBytes()) ? AuthStep.challenge(NONCE)
                            : AuthStep.failure();
                }
                return Arrays.equals(clientData, "nonce-1-signed".getBytes())
                        ? AuthStep.success("welcome".getBytes()) : AuthStep.failure();
            }
        };
    }
}
