package dev.midge.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midge.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarding from this node: one send per node, carrying the shared groups that node is to serve; a group
 * with a member here is served here only; a retained message goes to every node, the groups still named on one.
 */
class ClusterRouterTest {

    private static final String LOCAL = "00000000-0000-0000-0000-000000000000";
    private static final String NODE_A = "00000000-0000-0000-0000-00000000000a";
    private static final String NODE_B = "00000000-0000-0000-0000-00000000000b";

    private final List<byte[]> toA = new CopyOnWriteArrayList<>();
    private final List<byte[]> toB = new CopyOnWriteArrayList<>();
    private final PeerLink a = new PeerLink(NODE_A, LOCAL, toA::add, new ClusterStats());
    private final PeerLink b = new PeerLink(NODE_B, LOCAL, toB::add, new ClusterStats());
    private final RemoteRoutes remote = new RemoteRoutes();
    private final ClusterRouter router = new ClusterRouter(LOCAL, null, null, remote, () -> List.of(a, b),
            (orphans, message) -> { });

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    private static Message on(String topic, boolean retain) {
        return new Message(topic, new byte[0], 1, retain);
    }

    /** What each node got, in order, as the groups each message named; after the links sent it all. */
    private List<List<String>> received(PeerLink link, List<byte[]> sent, int count) {
        link.start();
        List<List<String>> groups = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            groups.clear();
            for (byte[] batch : sent) {
                MessageBatchCodec.decode(batch).messages().forEach(m -> groups.add(m.groups()));
            }
            return groups.size() >= count;
        });
        return groups;
    }

    @Test
    void aNodeWithPlainSubscribersAndAGroupGetsTheMessageOnceNamedWithTheGroup() {
        remote.apply(a, "t", 1, true);
        remote.apply(a, "$share/g/t", 2, true);
        remote.apply(b, "t", 1, true);

        assertNull(router.forward(on("t", false), List.of()));

        assertEquals(List.of(List.of("$share/g/t")), received(a, toA, 1));
        assertEquals(List.of(List.of()), received(b, toB, 1));
    }

    @Test
    void aGroupServedHereIsNamedNowhereAndNodesWithoutOtherRoutesGetNothing() {
        remote.apply(a, "$share/g/t", 1, true);
        remote.apply(b, "t", 1, true);

        router.forward(on("t", false), List.of("$share/g/t"));
        router.forward(on("t", false), List.of());

        assertEquals(List.of(List.of("$share/g/t")), received(a, toA, 1), "only the message not served here");
        assertEquals(List.of(List.of(), List.of()), received(b, toB, 2));
    }

    @Test
    void aRetainedMessageGoesToEveryNodeAndItsGroupToOne() {
        remote.apply(b, "$share/g/t", 1, true);

        router.forward(on("t", true), List.of());
        router.forward(on("$SYS/t", true), List.of());

        assertEquals(List.of(List.of()), received(a, toA, 1));
        assertEquals(List.of(List.of("$share/g/t")), received(b, toB, 1));
    }
}
