package dev.midge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.limits.FlappingTracker.Ban;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flapping client ids: counted within a window, banned, let go when the ban ends or is lifted; bounded. */
class FlappingTrackerTest {

    private long now = 123_456_789L;
    private final FlappingTracker tracker = new FlappingTracker(3, Duration.ofSeconds(10), Duration.ofMinutes(1),
            4, () -> now);

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    void moreThanMaxCountConnectionsWithinTheWindowBan() {
        for (int i = 0; i < 3; i++) {
            assertTrue(tracker.connected("c"));
            advance(Duration.ofSeconds(3));
        }
        assertFalse(tracker.isBanned("c"));
        assertFalse(tracker.connected("c"), "the fourth within 10 s");
        assertTrue(tracker.isBanned("c"));
        assertFalse(tracker.connected("c"));
        assertEquals(List.of(new Ban("c", Duration.ofMinutes(1))), tracker.bans());
        assertTrue(tracker.connected("other"), "only that client id");
    }

    @Test
    void connectionsSpreadBeyondTheWindowDoNotBan() {
        for (int i = 0; i < 20; i++) {
            assertTrue(tracker.connected("c"), "connection " + i);
            advance(Duration.ofSeconds(4));
        }
    }

    @Test
    void aBanEndsAfterItsDurationAndTheCountStartsAgain() {
        for (int i = 0; i < 4; i++) {
            tracker.connected("c");
        }
        advance(Duration.ofSeconds(59));
        assertTrue(tracker.isBanned("c"));
        assertEquals(Duration.ofSeconds(1), tracker.bans().get(0).remaining());
        advance(Duration.ofSeconds(1));
        assertFalse(tracker.isBanned("c"));
        assertTrue(tracker.bans().isEmpty());
        assertTrue(tracker.connected("c"));
    }

    @Test
    void aBanCanBeLifted() {
        for (int i = 0; i < 4; i++) {
            tracker.connected("c");
        }
        assertFalse(tracker.lift("other"));
        assertTrue(tracker.lift("c"));
        assertFalse(tracker.isBanned("c"));
        assertTrue(tracker.connected("c"), "its count starts again");
        assertFalse(tracker.lift("c"), "not banned");
    }

    @Test
    void keepsAtMostMaxTrackedIdsForgettingTheOneSeenLongestAgo() {
        for (int i = 0; i < 4; i++) {
            tracker.connected("banned");
            tracker.connected("kept");
        }
        for (int i = 0; i < 100; i++) {
            tracker.connected("id-" + i);
            assertTrue(tracker.isBanned("kept"), "looked at again and again, so it stays");
            assertTrue(tracker.tracked() <= 4);
        }
        assertEquals(4, tracker.tracked());
        assertFalse(tracker.isBanned("banned"), "forgotten: the memory bound comes first");
    }

    @Test
    void entriesWhoseWindowIsOverAreDropped() {
        tracker.connected("a");
        tracker.connected("b");
        advance(Duration.ofSeconds(11));
        tracker.connected("c");
        assertEquals(1, tracker.tracked(), "a and b expired");
    }
}
