package dev.midge.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A session new on this node takes each publication once, however many ways it reaches it. */
class RepeatWindowTest {

    @Test
    void aSerialComesOnceAndTheOldestAreForgottenPastTheCapacity() {
        RepeatWindow window = new RepeatWindow();
        assertTrue(window.firstTime(7));
        assertFalse(window.firstTime(7), "the second copy is dropped");
        for (long serial = 100; serial < 100 + RepeatWindow.CAPACITY; serial++) {
            window.firstTime(serial);
        }
        assertTrue(window.firstTime(7), "past the capacity the oldest are forgotten");
        assertFalse(window.isOver());
    }
}
