package dev.midge.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests of an {@link InMemoryBroker} that watch, for the whole class, which exceptions the broker caught. */
abstract class BrokerWatchingTest {

    static HandledExceptions handled;

    @BeforeAll
    static void watchBroker() {
        handled = new HandledExceptions();
    }

    @AfterAll
    static void stopWatching() {
        handled.close();
    }
}
