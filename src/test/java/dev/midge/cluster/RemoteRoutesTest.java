package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Other nodes' routes: a node with several matching filters is one target; changes that arrive late (an older
 * sequence number) are ignored, whichever path brought them; a node that leaves takes its routes along.
 */
class RemoteRoutesTest {

    private static final String NODE_A = "00000000-0000-0000-0000-00000000000a";
    private static final String NODE_B = "00000000-0000-0000-0000-00000000000b";

    private final List<byte[]> sent = new ArrayList<>();
    private final PeerLink a = new PeerLink(NODE_A, NODE_B, sent::add, new ClusterStats());
    private final PeerLink b = new PeerLink(NODE_B, NODE_A, sent::add, new ClusterStats());
    private final RemoteRoutes routes = new RemoteRoutes();

    private static Message on(String topic) {
        return new Message(topic, new byte[0], 1, false);
    }

    @Test
    void aNodeWithSeveralMatchingFiltersIsOneTarget() {
        routes.apply(a, "sensors/+", 1, true);
        routes.apply(a, "sensors/#", 2, true);
        routes.apply(b, "sensors/t1", 1, true);

        assertEquals(Set.of(a, b), routes.match(on("sensors/t1")));
        assertEquals(Set.of(a), routes.match(on("sensors/t2")));
        assertEquals(3, routes.size());
    }

    @Test
    void aLateChangeIsIgnored() {
        routes.apply(a, "t", 1, true);
        assertTrue(routes.apply(a, "t", 2, false), "the unsubscribe applies");
        assertFalse(routes.apply(a, "t", 1, true), "the engine's event for the first subscribe came late");
        assertEquals(Set.of(), routes.match(on("t")));

        assertTrue(routes.apply(a, "t", 3, true), "a new subscribe applies");
        assertFalse(routes.apply(a, "t", 1, false), "the engine's remove event for the first one came late");
        assertEquals(Set.of(a), routes.match(on("t")));
        assertFalse(routes.apply(a, "t", 3, true), "the same change twice counts once");
        assertEquals(1, routes.size());
    }

    @Test
    void theEngineRemoveEventCarriesTheSequenceOfTheRouteItRemoves() {
        routes.apply(a, "t", 4, true);
        assertTrue(routes.apply(a, "t", 4, false), "a remove event names the route's own sequence");
        assertEquals(0, routes.size());
    }

    @Test
    void aNodeThatLeavesTakesItsRoutesAlong() {
        routes.apply(a, "x/#", 1, true);
        routes.apply(a, "y", 2, true);
        routes.apply(b, "y", 1, true);

        routes.removeNode(a);

        assertEquals(Set.of(b), routes.match(on("y")));
        assertEquals(Set.of(), routes.match(on("x/1")));
        assertEquals(1, routes.size());
        assertTrue(routes.apply(a, "y", 1, true), "a node id seen again starts afresh");
    }
}
