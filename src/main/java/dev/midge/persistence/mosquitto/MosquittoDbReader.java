package dev.midge.persistence.mosquitto;

import dev.midge.message.Message;
import dev.midge.message.MessageProperties;
import dev.midge.message.SubscriptionOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Mosquitto 2.0 persistence file, format version 6 (5 too). The file is a 15-byte magic, a CRC and the
 * version, then chunks of a type and a length. Each chunk starts with a C struct written as it lies in memory:
 * its 16- and 32-bit fields in network order, its 64-bit ids and times in the writer's own order (little-endian
 * on the machines Mosquitto runs on), padded to 8 bytes; strings, payloads and MQTT 5 properties follow.
 */
public final class MosquittoDbReader {

    private static final byte[] MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ',
        'd', 'b'};
    private static final int CFG = 1;
    private static final int MSG_STORE = 2;
    private static final int CLIENT_MSG = 3;
    private static final int RETAIN = 4;
    private static final int SUB = 5;
    private static final int CLIENT = 6;
    /** The sizes of Mosquitto's chunk structs with their padding. */
    private static final int CLIENT_V6_SIZE = 24;
    private static final int CLIENT_V5_SIZE = 16;
    private static final int CLIENT_MSG_SIZE = 16;
    private static final int MSG_STORE_SIZE = 32;
    private static final int SUB_SIZE = 12;
    private static final int DIRECTION_IN = 0;
    /** Mosquitto's message states in which a QoS 2 message's PUBREC has come back. */
    private static final List<Integer> RELEASED_STATES = List.of(6, 9);
    private static final int QUEUED_STATE = 11;

    private final Map<Long, Message> stored = new HashMap<>();
    private final List<Long> retainedIds = new ArrayList<>();
    private final Map<String, Long> expiry = new LinkedHashMap<>();
    private final Map<String, Map<String, SubscriptionOptions>> subscriptions = new HashMap<>();
    private final Map<String, List<ClientMessage>> outbound = new HashMap<>();
    private int skippedIncoming;

    private record ClientMessage(long storeId, int mid, int qos, int state, boolean retain) {
    }

    private MosquittoDbReader() {
    }

    public static MosquittoDb read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        MosquittoDbReader reader = new MosquittoDbReader();
        reader.readAll(in, file);
        return reader.result();
    }

    private void readAll(ByteBuffer in, Path file) {
        byte[] magic = new byte[MAGIC.length];
        if (in.remaining() < MAGIC.length + 8) {
            throw new IllegalArgumentException(file + " is not a Mosquitto persistence file: too short");
        }
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException(file + " is not a Mosquitto persistence file");
        }
        in.getInt(); // CRC, always 0
        int version = in.getInt();
        if (version != 5 && version != 6) {
            throw new IllegalArgumentException(file + " has format version " + version
                    + "; Midge reads versions 5 and 6 (Mosquitto 1.6 and 2.0)");
        }
        while (in.remaining() >= 8) {
            int type = in.getInt();
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException(file + ": chunk of type " + type + " runs past the end at byte "
                        + in.position());
            }
            ByteBuffer chunk = in.slice(in.position(), length).order(ByteOrder.BIG_ENDIAN);
            in.position(in.position() + length);
            switch (type) {
                case MSG_STORE -> messageStore(chunk);
                case CLIENT_MSG -> clientMessage(chunk);
                case RETAIN -> retainedIds.add(chunk.order(ByteOrder.LITTLE_ENDIAN).getLong(0));
                case SUB -> subscription(chunk);
                case CLIENT -> client(chunk, version);
                default -> {
                    // CFG and chunk types of later versions carry nothing Midge takes over.
                }
            }
        }
    }

    private void messageStore(ByteBuffer chunk) {
        long storeId = chunk.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long expiryTime = chunk.getLong(8);
        chunk.order(ByteOrder.BIG_ENDIAN);
        int payloadLength = chunk.getInt(16);
        int sourceIdLength = Short.toUnsignedInt(chunk.getShort(22));
        int sourceUserLength = Short.toUnsignedInt(chunk.getShort(24));
        int topicLength = Short.toUnsignedInt(chunk.getShort(26));
        int qos = chunk.get(30);
        boolean retain = chunk.get(31) != 0;
        chunk.position(MSG_STORE_SIZE);
        String origin = sourceIdLength > 0 ? string(chunk, sourceIdLength) : null;
        chunk.position(chunk.position() + sourceUserLength);
        String topic = string(chunk, topicLength);
        byte[] payload = new byte[payloadLength];
        chunk.get(payload);
        MessageProperties properties = chunk.hasRemaining() ? PublishProperties.read(chunk) : MessageProperties.NONE;
        stored.put(storeId, new Message(topic, payload, qos, retain, properties, origin,
                expiryTime == 0 ? 0 : expiryTime * 1000));
    }

    private void clientMessage(ByteBuffer chunk) {
        long storeId = chunk.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        chunk.order(ByteOrder.BIG_ENDIAN);
        int mid = Short.toUnsignedInt(chunk.getShort(8));
        int idLength = Short.toUnsignedInt(chunk.getShort(10));
        int qos = chunk.get(12);
        int state = chunk.get(13);
        boolean retain = (chunk.get(14) & 0xF0) != 0;
        int direction = chunk.get(15);
        chunk.position(CLIENT_MSG_SIZE);
        String clientId = string(chunk, idLength);
        if (direction == DIRECTION_IN) {
            skippedIncoming++;
            return;
        }
        outbound.computeIfAbsent(clientId, id -> new ArrayList<>())
                .add(new ClientMessage(storeId, mid, qos, state, retain));
    }

    private void subscription(ByteBuffer chunk) {
        int identifier = chunk.getInt(0);
        int idLength = Short.toUnsignedInt(chunk.getShort(4));
        int topicLength = Short.toUnsignedInt(chunk.getShort(6));
        int qos = chunk.get(8);
        int options = chunk.get(9);
        chunk.position(SUB_SIZE);
        String clientId = string(chunk, idLength);
        String filter = string(chunk, topicLength);
        subscriptions.computeIfAbsent(clientId, id -> new LinkedHashMap<>()).put(filter, new SubscriptionOptions(
                qos & 0x03, (options & 0x04) != 0, (options & 0x08) != 0, (options & 0x30) >> 4, identifier));
    }

    private void client(ByteBuffer chunk, int version) {
        long interval = Integer.toUnsignedLong(chunk.getInt(8));
        int idLength = Short.toUnsignedInt(chunk.getShort(14));
        chunk.position(version == 6 ? CLIENT_V6_SIZE : CLIENT_V5_SIZE);
        expiry.put(string(chunk, idLength), interval);
    }

    private MosquittoDb result() {
        List<Message> retained = new ArrayList<>();
        for (long id : retainedIds) {
            Message message = stored.get(id);
            if (message != null) {
                retained.add(message);
            }
        }
        List<MosquittoDb.Client> clients = new ArrayList<>();
        expiry.forEach((clientId, interval) -> {
            List<MosquittoDb.Outbound> messages = new ArrayList<>();
            for (ClientMessage m : outbound.getOrDefault(clientId, List.of())) {
                Message message = stored.get(m.storeId());
                if (message == null) {
                    continue;
                }
                Message delivered = new Message(message.topic(), message.payload(), m.qos(), m.retain(),
                        message.properties(), message.origin(), message.expiresAt());
                boolean queued = m.state() == QUEUED_STATE;
                messages.add(new MosquittoDb.Outbound(delivered, queued ? 0 : m.mid(),
                        m.qos() == 2 && RELEASED_STATES.contains(m.state())));
            }
            clients.add(new MosquittoDb.Client(clientId, interval,
                    subscriptions.getOrDefault(clientId, Map.of()), messages));
        });
        return new MosquittoDb(retained, clients, skippedIncoming);
    }

    private static String string(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
