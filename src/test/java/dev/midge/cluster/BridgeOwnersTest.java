package dev.midge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.config.Config;
import dev.midge.cluster.BridgeOwners.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The owner of a bridge or integration is the oldest member that configures it: one owner for a given member
 * list, whichever node asks; it changes when the owner leaves and at no other change of the list.
 */
class BridgeOwnersTest {

    private static final String CLOUD = BridgeKeys.bridge("cloud");
    private static final String KAFKA = BridgeKeys.integration("kafka");

    private static Candidate node(String id, String... keys) {
        return new Candidate(id, Set.of(keys));
    }

    @Test
    void theOldestMemberThatConfiguresItOwnsIt() {
        List<Candidate> members = List.of(node("a", KAFKA), node("b", CLOUD, KAFKA), node("c", CLOUD));
        assertEquals("b", BridgeOwners.ownerOf(CLOUD, members));
        assertEquals("a", BridgeOwners.ownerOf(KAFKA, members));
    }

    @Test
    void noOwnerWhenNoMemberConfiguresIt() {
        assertNull(BridgeOwners.ownerOf(CLOUD, List.of(node("a", KAFKA), node("b"))));
        assertNull(BridgeOwners.ownerOf(CLOUD, List.of()));
    }

    @Test
    void aBridgeAndAnIntegrationOfOneNameAreTwoThings() {
        assertEquals("b", BridgeOwners.ownerOf(BridgeKeys.bridge("x"),
                List.of(node("a", BridgeKeys.integration("x")), node("b", BridgeKeys.bridge("x")))));
    }

    @Test
    void membersJoiningDoNotMoveIt() {
        List<Candidate> members = new ArrayList<>(List.of(node("a", CLOUD), node("b", CLOUD)));
        for (int i = 0; i < 5; i++) {
            members.add(node("joined-" + i, CLOUD, KAFKA));
            assertEquals("a", BridgeOwners.ownerOf(CLOUD, members));
        }
    }

    @Test
    void anotherMemberLeavingDoesNotMoveIt() {
        List<Candidate> members = new ArrayList<>(List.of(node("a"), node("b", CLOUD), node("c", CLOUD),
                node("d", CLOUD)));
        members.remove(0);
        assertEquals("b", BridgeOwners.ownerOf(CLOUD, members));
        members.remove(2);
        assertEquals("b", BridgeOwners.ownerOf(CLOUD, members));
    }

    @Test
    void whenTheOwnerLeavesTheNextOldestThatConfiguresItTakesOver() {
        List<Candidate> members = new ArrayList<>(List.of(node("a", CLOUD), node("b"), node("c", CLOUD),
                node("d", CLOUD)));
        members.remove(0);
        assertEquals("c", BridgeOwners.ownerOf(CLOUD, members));
        members.remove(node("c", CLOUD));
        assertEquals("d", BridgeOwners.ownerOf(CLOUD, members));
        members.remove(node("d", CLOUD));
        assertNull(BridgeOwners.ownerOf(CLOUD, members));
    }

    @Test
    void theAdvertisedKeysComeBackFromTheMemberAttribute() {
        Config config = BridgeOwners.advertise(new Config(), Set.of(CLOUD, KAFKA));
        assertEquals(Set.of(CLOUD, KAFKA),
                BridgeOwners.advertised(config.getMemberAttributeConfig().getAttribute(BridgeOwners.ATTRIBUTE)));
        assertEquals(Set.of(), BridgeOwners.advertised(null));
        assertNull(BridgeOwners.advertise(new Config(), Set.of()).getMemberAttributeConfig()
                .getAttribute(BridgeOwners.ATTRIBUTE));
    }
}
