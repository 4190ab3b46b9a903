package dev.midge.management.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampleHistoryTest {

    private static Sample at(long time) {
        return new Sample(time, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void keepsTheNewestSamplesOldestFirstOnceTheRingIsFull() {
        SampleHistory history = new SampleHistory(3);
        assertNull(history.latest());
        IntStream.rangeClosed(1, 5).forEach(t -> history.add(at(t)));
        assertEquals(List.of(3L, 4L, 5L), history.snapshot().stream().map(Sample::time).toList());
        assertEquals(5L, history.latest().time());
    }

    @Test
    void holdsFewerSamplesThanItsCapacityInOrder() {
        SampleHistory history = new SampleHistory(900);
        history.add(at(7));
        history.add(at(8));
        assertEquals(List.of(7L, 8L), history.snapshot().stream().map(Sample::time).toList());
    }
}
