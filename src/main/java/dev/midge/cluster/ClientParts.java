package dev.midge.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.query.Predicate;
import java.io.IOException;
import java.util.Map;

/** Selects one client's message entries; run inside the partition that holds them. */
public final class ClientParts implements Predicate<PartKey, byte[]>, DataSerializable {

    private static final long serialVersionUID = 1L;
    private String clientId;

    /** For the engine's deserialization. */
    public ClientParts() {
    }

    ClientParts(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public boolean apply(Map.Entry<PartKey, byte[]> entry) {
        return entry.getKey().clientId().equals(clientId);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(clientId);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        clientId = in.readString();
    }
}
