package dev.midge.limits;

/** The limits of {@code midge.limits}, as the {@code limit} tag of {@code midge_limit_exceeded_total} names them. */
public enum LimitKind {
    PUBLISH_RATE("publish-rate"),
    PUBLISH_BYTES_RATE("publish-bytes-rate"),
    CONNECTION_RATE("connection-rate"),
    FLAPPING("flapping"),
    MAX_RETAINED_PER_CLIENT("max-retained-per-client"),
    /** Counted each time the memory all sessions hold passes {@code memory-high}. */
    MEMORY("memory");

    private final String key;

    LimitKind(String key) {
        this.key = key;
    }

    /** The setting's name under {@code midge.limits}. */
    public String key() {
        return key;
    }
}
