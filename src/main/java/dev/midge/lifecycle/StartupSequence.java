package dev.midge.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Steps run one after the other at start-up and undone in reverse at shutdown. Only the steps that ran are
 * undone: when one fails, the ones before it are undone at once and the failure stops start-up.
 */
public final class StartupSequence {

    private static final Logger LOG = Logger.getLogger(StartupSequence.class);

    /** One step; {@code stop} undoes what {@code start} did. */
    public record Step(String name, Runnable start, Runnable stop) {

        /** A step with nothing to undo. */
        public static Step of(String name, Runnable start) {
            return new Step(name, start, () -> { });
        }
    }

    private final List<Step> steps;
    private final Deque<Step> started = new ArrayDeque<>();

    public StartupSequence(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public synchronized void start() {
        for (Step step : steps) {
            try {
                step.start().run();
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            started.push(step);
            LOG.debugf("Start-up step %s done", step.name());
        }
    }

    /** Undoes the started steps, last first; one that fails is logged and the others still run. */
    public synchronized void stop() {
        while (!started.isEmpty()) {
            Step step = started.pop();
            try {
                step.stop().run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Shutdown step %s failed", step.name());
            }
        }
    }

    /** The names of the steps, in the order they start. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        steps.forEach(step -> names.add(step.name()));
        return names;
    }

    /** The names of the steps that have started and are not undone yet, in the order they started. */
    public synchronized List<String> running() {
        List<String> names = new ArrayList<>();
        started.descendingIterator().forEachRemaining(step -> names.add(step.name()));
        return names;
    }
}
