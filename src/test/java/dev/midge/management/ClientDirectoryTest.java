package dev.midge.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midge.cluster.ClusterClients.NodePart;
import dev.midge.session.ClientListing;
import dev.midge.session.SessionInfo;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging the nodes' parts of the client list. */
class ClientDirectoryTest {

    private static ClientListing.Entry entry(String clientId) {
        return new ClientListing.Entry("user-" + clientId,
                new SessionInfo(clientId, true, "MQTT 5.0", null, null, 0, 0, 0, 0, null));
    }

    private static NodePart part(String node, int total, String... clientIds) {
        return new NodePart(node, new ClientListing.Part(total,
                Arrays.stream(clientIds).map(ClientDirectoryTest::entry).toList()), false);
    }

    @Test
    void theNodesPartsMergeInClientIdOrderEachNamedWithItsNodeAndTheTotalsAdd() {
        List<NodePart> parts = List.of(part("n1", 3, "a", "d", "f"), part("n2", 2, "b", "e"),
                new NodePart("n3", new ClientListing.Part(0, List.of()), true), part("n4", 1, "c"));
        ClientDirectory.Found first = ClientDirectory.merge(parts, 0, 4);
        assertEquals(6, first.total());
        assertEquals(List.of("a", "b", "c", "d"),
                first.rows().stream().map(r -> r.session().clientId()).toList());
        assertEquals(List.of("n1", "n2", "n4", "n1"), first.rows().stream().map(r -> r.session().node()).toList());
        assertEquals("user-b", first.rows().get(1).user());
        assertEquals(List.of("n3"), first.unanswered());
        ClientDirectory.Found second = ClientDirectory.merge(parts, 4, 4);
        assertEquals(List.of("e", "f"), second.rows().stream().map(r -> r.session().clientId()).toList());
        assertEquals(List.of(), ClientDirectory.merge(parts, 8, 4).rows());
    }
}
