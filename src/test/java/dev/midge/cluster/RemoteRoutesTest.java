package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.message.Message;
import dev.midge.routing.Subscriber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Other nodes' routes: a node with several matching filters is one target; changes that arrive late (an older
 * sequence number) are ignored, whichever path brought them; a node that leaves takes its routes along. A
 * shared group not served here goes to one of the nodes with members of it, in turn, named with the group.
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

    private Set<Subscriber> nodes(Message message) {
        return routes.match(message, List.of()).keySet();
    }

    @Test
    void aNodeWithSeveralMatchingFiltersIsOneTarget() {
        routes.apply(a, "sensors/+", 1, true);
        routes.apply(a, "sensors/#", 2, true);
        routes.apply(b, "sensors/t1", 1, true);

        assertEquals(Set.of(a, b), nodes(on("sensors/t1")));
        assertEquals(Set.of(a), nodes(on("sensors/t2")));
        assertEquals(3, routes.size());
    }

    @Test
    void theRoutesOfANodeThatLeftLeadToItsHeirUntilItsSessionsAreAdopted() {
        routes.apply(a, "sensors/+", 1, true);
        routes.apply(a, "$share/g/sensors/+", 2, true);
        routes.apply(b, "sensors/t1", 1, true);
        OrphanRoute orphans = new OrphanRoute(NODE_A, b);

        routes.redirect(a, orphans);

        assertEquals(Set.of(orphans, b), nodes(on("sensors/t1")));
        assertEquals(Set.of(orphans), nodes(on("sensors/t2")), "its shared group is served elsewhere");
        assertEquals(List.of(orphans), routes.redirects());
        assertEquals(1, routes.size(), "the node's own routes are gone");

        routes.dropRedirect(orphans);
        assertEquals(Set.of(b), nodes(on("sensors/t1")));
        assertEquals(Set.of(), nodes(on("sensors/t2")));
        assertEquals(List.of(), routes.redirects());
    }

    @Test
    void aLateChangeIsIgnored() {
        routes.apply(a, "t", 1, true);
        assertTrue(routes.apply(a, "t", 2, false), "the unsubscribe applies");
        assertFalse(routes.apply(a, "t", 1, true), "the engine's event for the first subscribe came late");
        assertEquals(Set.of(), nodes(on("t")));

        assertTrue(routes.apply(a, "t", 3, true), "a new subscribe applies");
        assertFalse(routes.apply(a, "t", 1, false), "the engine's remove event for the first one came late");
        assertEquals(Set.of(a), nodes(on("t")));
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

        assertEquals(Set.of(b), nodes(on("y")));
        assertEquals(Set.of(), nodes(on("x/1")));
        assertEquals(1, routes.size());
        assertTrue(routes.apply(a, "y", 1, true), "a node id seen again starts afresh");
    }

    @Test
    void aGroupWithMembersOnTwoNodesGoesToOneOfThemInTurnNamedWithTheGroup() {
        routes.apply(a, "$share/g/sensors/+", 1, true);
        routes.apply(b, "$share/g/sensors/+", 1, true);

        Map<Subscriber, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            Map<Subscriber, List<String>> targets = routes.match(on("sensors/t1"), List.of());
            assertEquals(1, targets.size(), "exactly one node per message");
            Map.Entry<Subscriber, List<String>> target = targets.entrySet().iterator().next();
            assertEquals(List.of("$share/g/sensors/+"), target.getValue());
            counts.merge(target.getKey(), 1, Integer::sum);
        }
        assertEquals(Map.of(a, 5, b, 5), counts, "the nodes take turns");
        assertEquals(Map.of(), routes.match(on("other/t1"), List.of()));
    }

    @Test
    void aGroupServedHereGoesToNoOtherNode() {
        routes.apply(a, "$share/g/t", 1, true);
        routes.apply(b, "t", 1, true);

        assertEquals(Map.of(b, List.of()), routes.match(on("t"), List.of("$share/g/t")));
    }

    @Test
    void aNodeWithPlainSubscribersAndGroupsIsOneTargetCarryingItsGroups() {
        routes.apply(a, "t/#", 1, true);
        routes.apply(a, "$share/g1/t/+", 2, true);
        routes.apply(a, "$share/g2/t/x", 3, true);
        routes.apply(a, "$share/g3/t/x", 4, true);

        Map<Subscriber, List<String>> targets = routes.match(on("t/x"), List.of("$share/g3/t/x"));

        assertEquals(Set.of(a), targets.keySet());
        assertEquals(Set.of("$share/g1/t/+", "$share/g2/t/x"), Set.copyOf(targets.get(a)));
        assertEquals(4, routes.size());
    }

    @Test
    void aNodeThatLeavesTakesItsGroupRoutesAlong() {
        routes.apply(a, "$share/g/t", 1, true);
        routes.apply(b, "$share/g/t", 1, true);

        routes.removeNode(a);

        for (int i = 0; i < 4; i++) {
            assertEquals(Map.of(b, List.of("$share/g/t")), routes.match(on("t"), List.of()));
        }
        assertTrue(routes.apply(b, "$share/g/t", 2, false), "its last member there left");
        assertEquals(Map.of(), routes.match(on("t"), List.of()));
        assertEquals(0, routes.size());
    }
}
