package dev.midge.management;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainStateTest {

    @Test
    void takesNewClientsOnlyOnceStartedAndWhileNotDraining() {
        DrainState drain = new DrainState();
        assertFalse(drain.takesNewClients(), "not before start-up has finished");
        drain.started();
        assertTrue(drain.takesNewClients());
        drain.begin();
        assertFalse(drain.takesNewClients());
        drain.end();
        assertTrue(drain.takesNewClients());
    }
}
