package dev.midge.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One change to a session's record, made where the record lives (and again on its backups), so that a
 * subscription or a QoS 2 id costs a few bytes on the wire, not the whole record. A change to a session the
 * engine does not hold is ignored, except {@link Op#PUT_SESSION}, which creates it.
 */
public final class SessionUpdate implements EntryProcessor<String, byte[], Boolean>, DataSerializable {

    private static final long serialVersionUID = 1L;

    enum Op { PUT_SESSION, SUBSCRIBE, UNSUBSCRIBE, AWAIT_RELEASE, RELEASED, PUT_WILL, REMOVE_WILL }

    private Op op;
    private String name;
    private long first;
    private long second;
    private byte[] data;

    /** For the engine's deserialization. */
    public SessionUpdate() {
    }

    private SessionUpdate(Op op, String name, long first, long second, byte[] data) {
        this.op = op;
        this.name = name;
        this.first = first;
        this.second = second;
        this.data = data;
    }

    static SessionUpdate session(long expiryInterval, long disconnectedAt) {
        return new SessionUpdate(Op.PUT_SESSION, null, expiryInterval, disconnectedAt, null);
    }

    static SessionUpdate subscribe(String filter, byte[] options) {
        return new SessionUpdate(Op.SUBSCRIBE, filter, 0, 0, options);
    }

    static SessionUpdate unsubscribe(String filter) {
        return new SessionUpdate(Op.UNSUBSCRIBE, filter, 0, 0, null);
    }

    static SessionUpdate awaitRelease(int packetId, boolean waiting) {
        return new SessionUpdate(waiting ? Op.AWAIT_RELEASE : Op.RELEASED, null, packetId, 0, null);
    }

    static SessionUpdate will(byte[] will) {
        return will == null ? new SessionUpdate(Op.REMOVE_WILL, null, 0, 0, null)
                : new SessionUpdate(Op.PUT_WILL, null, 0, 0, will);
    }

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
        byte[] current = entry.getValue();
        if (current == null && op != Op.PUT_SESSION) {
            return false;
        }
        SessionRecord record = current == null ? new SessionRecord() : SessionRecord.decode(current);
        switch (op) {
            case PUT_SESSION -> {
                record.expiryInterval = first;
                record.disconnectedAt = second;
            }
            case SUBSCRIBE -> record.subscriptions.put(name, data);
            case UNSUBSCRIBE -> record.subscriptions.remove(name);
            case AWAIT_RELEASE -> record.awaitingRelease.add((int) first);
            case RELEASED -> record.awaitingRelease.remove((int) first);
            case PUT_WILL -> record.will = data;
            case REMOVE_WILL -> record.will = null;
        }
        entry.setValue(record.encode());
        return true;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByte(op.ordinal());
        out.writeString(name);
        out.writeLong(first);
        out.writeLong(second);
        out.writeByteArray(data);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        op = Op.values()[in.readByte()];
        name = in.readString();
        first = in.readLong();
        second = in.readLong();
        data = in.readByteArray();
    }
}
