package dev.midge.protocol;

/**
 * {@code midge.max-payload-size} and {@code midge.retain-available} as connections read them: a reload of the
 * mosquitto.conf may change them while the broker runs. The payload limit counts from each next PUBLISH; whether
 * retain is available is read once as a connection opens, so that what its MQTT 5 CONNACK announced holds.
 */
final class PublishTerms {

    private volatile int maxPayloadSize;
    private volatile boolean retainAvailable;

    /** @param maxPayloadSize 0 for no limit */
    PublishTerms(int maxPayloadSize, boolean retainAvailable) {
        maxPayloadSize(maxPayloadSize);
        this.retainAvailable = retainAvailable;
    }

    /** The largest payload a PUBLISH may have, MAX_VALUE for no limit. */
    int maxPayloadSize() {
        return maxPayloadSize;
    }

    /** @param max 0 for no limit */
    void maxPayloadSize(int max) {
        this.maxPayloadSize = max > 0 ? max : Integer.MAX_VALUE;
    }

    boolean retainAvailable() {
        return retainAvailable;
    }

    void retainAvailable(boolean available) {
        this.retainAvailable = available;
    }
}
