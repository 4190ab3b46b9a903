package dev.midge.management;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One {@code midge.*} property as the broker runs with it.
 *
 * @param value the effective value; null when unset and without default, hidden when redacted
 * @param source where the value came from: a config source's name, {@code default} for the mapping's default,
 *     or null when unset
 * @param defaultValue the mapping's default, or null
 * @param redacted true when the value is a secret and not shown
 */
// Sent as the entity of a Response, which the native build cannot see from the method signature.
@RegisterForReflection
public record ConfigEntry(String name, String value, String source, String defaultValue, boolean redacted) {
}
