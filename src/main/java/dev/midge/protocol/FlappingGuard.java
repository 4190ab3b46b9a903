package dev.midge.protocol;

import dev.midge.limits.FlappingTracker;
import dev.midge.limits.LimitKind;
import dev.midge.limits.Limits;

/**
 * Refuses client ids that connect too often ({@code midge.limits.flapping}): MQTT 5 with CONNACK 0x8A (Banned),
 * MQTT 3 with return code 5 (Not authorized), the nearest it has.
 */
final class FlappingGuard {

    private FlappingGuard() {
    }

    /** Before the password is checked: a banned id costs no hashing. True when refused. */
    static boolean refuseBanned(ConnectionContext connection, CloseFlow close) {
        FlappingTracker flapping = connection.services.limits().flapping();
        if (flapping == null || !flapping.isBanned(connection.clientId)) {
            return false;
        }
        refuse(connection, close);
        return true;
    }

    /**
     * Once the client has proved who it is, so that no one can get another's client id banned: counts the
     * connection, and refuses it when it is one too many. True when refused.
     */
    static boolean refuseFlapping(ConnectionContext connection, CloseFlow close) {
        FlappingTracker flapping = connection.services.limits().flapping();
        if (flapping == null || flapping.connected(connection.clientId)) {
            return false;
        }
        refuse(connection, close);
        return true;
    }

    private static void refuse(ConnectionContext connection, CloseFlow close) {
        Limits limits = connection.services.limits();
        limits.counters().exceeded(LimitKind.FLAPPING);
        close.refuse(connection.dialect.banned(), "client id banned for connecting more than "
                + "midge.limits.flapping.max-count times within midge.limits.flapping.window");
    }
}
