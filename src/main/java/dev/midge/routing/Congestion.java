package dev.midge.routing;

/**
 * Something publishers wait for while it holds more than it should: a subscriber that is behind, or the memory
 * all sessions hold. A publisher that hears it is congested stops reading until it is not.
 */
public interface Congestion {

    /** True while publishers feeding it should stop reading. Safe from any thread. */
    boolean isCongested();

    /** Runs the callback once this is no longer congested; at once if it is not. Any thread. */
    void whenDecongested(Runnable callback);

    /**
     * A publisher has waited {@code midge.slow-subscriber-timeout} for this without it clearing: the one to
     * blame, if any, must not hold its publishers any longer. Any thread.
     */
    default void congestedTooLong() {
    }

    /**
     * True when any session's draining clears it, so that a paused connection whose own session has messages
     * awaiting its client's acknowledgement must go on reading them; false when one other subscriber clears it.
     */
    default boolean drainedByEveryone() {
        return false;
    }
}
