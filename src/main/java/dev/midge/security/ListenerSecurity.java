package dev.midge.security;

/**
 * Who may connect through one listener, and what its clients may do: a {@link FileSecurity} of the listener's
 * own from {@code midge.listener-auth.<listener>.*}, or else the broker's {@code midge.auth.*} beans.
 */
public record ListenerSecurity(Authenticator authenticator, Authorizer authorizer) {
}
