package dev.midge.security;

/** Who a connection is: its client id and, when it logged in, its user name. */
public record ClientIdentity(String clientId, String username) {
}
