package dev.midge.persistence.mosquitto;

import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import java.util.List;
import java.util.Map;

/**
 * What a Mosquitto 2.0 persistence file ({@code mosquitto.db}) holds, as far as Midge can take it over.
 *
 * @param skippedIncoming incoming QoS 2 messages still waiting for their PUBREL, which Midge cannot take over
 */
public record MosquittoDb(List<Message> retained, List<Client> clients, int skippedIncoming) {

    /**
     * One persistent session.
     *
     * @param expiryInterval session expiry interval in seconds, 0xFFFFFFFF for never
     * @param outbound messages queued or in flight to the client, in the file's order
     */
    public record Client(String clientId, long expiryInterval, Map<String, SubscriptionOptions> subscriptions,
            List<Outbound> outbound) {
    }

    /**
     * A message on its way to a client.
     *
     * @param packetId 0 while queued, else the packet id it was sent with
     * @param released for QoS 2: its PUBREC came back, so only PUBREL/PUBCOMP remain
     */
    public record Outbound(Message message, int packetId, boolean released) {
    }
}
