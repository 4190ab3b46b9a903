package dev.midge.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.partition.PartitionAware;
import java.io.IOException;
import java.util.Objects;

/**
 * The key of one queued or in-flight message of a session in the engine, or of its progress (packet id, PUBREC
 * seen). Keys are placed by client id, so all of a session's entries share one partition and are read back
 * with one partition-local query.
 */
public final class PartKey implements DataSerializable, PartitionAware<String> {

    static final byte MESSAGE = 0;
    static final byte PROGRESS = 1;

    private String clientId;
    private long id;
    private byte kind;

    /** For the engine's deserialization. */
    public PartKey() {
    }

    PartKey(String clientId, long id, byte kind) {
        this.clientId = clientId;
        this.id = id;
        this.kind = kind;
    }

    String clientId() {
        return clientId;
    }

    long id() {
        return id;
    }

    byte kind() {
        return kind;
    }

    @Override
    public String getPartitionKey() {
        return clientId;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(clientId);
        out.writeLong(id);
        out.writeByte(kind);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        clientId = in.readString();
        id = in.readLong();
        kind = in.readByte();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartKey k && k.id == id && k.kind == kind && k.clientId.equals(clientId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, id, kind);
    }
}
