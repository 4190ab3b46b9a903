package dev.midge.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.midge.lifecycle.StartupSequence.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupSequenceTest {

    private final List<String> log = new ArrayList<>();

    private Step step(String name) {
        return new Step(name, () -> log.add("start " + name), () -> log.add("stop " + name));
    }

    @Test
    void startsInOrderAndStopsInReverse() {
        StartupSequence sequence = new StartupSequence(List.of(step("a"), step("b"), step("c")));
        sequence.start();
        assertEquals(List.of("a", "b", "c"), sequence.running());
        sequence.stop();
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), log);
        assertEquals(List.of(), sequence.running());
    }

    @Test
    void aFailedStepUndoesTheOnesBeforeItAndStopsStartUp() {
        IllegalArgumentException failure = new IllegalArgumentException("midge.x: bad");
        StartupSequence sequence = new StartupSequence(List.of(step("a"), step("b"),
                Step.of("bad", () -> {
                    throw failure;
                }), step("never")));
        assertSame(failure, assertThrows(IllegalArgumentException.class, sequence::start));
        assertEquals(List.of("start a", "start b", "stop b", "stop a"), log);
        sequence.stop();
        assertEquals(4, log.size(), "nothing is undone twice");
    }

    @Test
    void aFailingStopStillLetsTheEarlierStepsStop() {
        StartupSequence sequence = new StartupSequence(List.of(step("a"),
                new Step("b", () -> log.add("start b"), () -> {
                    throw new IllegalStateException("cannot stop");
                }), step("c")));
        sequence.start();
        sequence.stop();
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop a"), log);
    }

    @Test
    void namesTheStepsInTheirOrder() {
        assertEquals(List.of("x", "y"), new StartupSequence(List.of(step("x"), step("y"))).names());
    }
}
