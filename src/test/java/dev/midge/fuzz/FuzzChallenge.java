package dev.midge.fuzz;

import dev.midge.security.ChallengeAuthenticator;
import dev.midge.security.EnhancedAuthenticator;

/**
 * The tests' challenge method for fuzzing AUTH exchanges, except that missing Authentication Data fails before
 * it reaches {@code Arrays.equals}: Jazzer's hook on that method crashes the JVM when handed a null array.
 */
final class FuzzChallenge implements EnhancedAuthenticator {

    private static final ChallengeAuthenticator CHALLENGE = new ChallengeAuthenticator();
    static final String METHOD = CHALLENGE.method();

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public AuthExchange begin(String clientId) {
        AuthExchange exchange = CHALLENGE.begin(clientId);
        return clientData -> clientData == null ? AuthStep.failure() : exchange.respond(clientData);
    }
}
