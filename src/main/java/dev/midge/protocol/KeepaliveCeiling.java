package dev.midge.protocol;

import java.util.OptionalInt;

/**
 * {@code midge.max-keepalive} as each CONNECT reads it: a reload of the mosquitto.conf may change it while the
 * broker runs, for the clients that connect from then on.
 */
final class KeepaliveCeiling {

    private volatile OptionalInt max;

    KeepaliveCeiling(OptionalInt max) {
        this.max = max;
    }

    /** The longest keepalive allowed, in seconds, or empty for none. */
    OptionalInt max() {
        return max;
    }

    void set(OptionalInt max) {
        this.max = max;
    }
}
