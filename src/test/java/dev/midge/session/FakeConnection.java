package dev.midge.session;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A connection that takes every packet while writable, for sessions tested without a network. */
final class FakeConnection implements SessionConnection {
    private final EventLoop loop;
    boolean writable = true;

    FakeConnection(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public int receiveMaximum() {
        return 65_535;
    }

    @Override
    public boolean sendPublish(Message message, Delivery delivery, int packetId, boolean duplicate) {
        return true;
    }

    @Override
    public void sendPubRel(int packetId) {
    }

    @Override
    public void sessionCongested() {
    }

    @Override
    public void close(CloseCause cause) {
    }

    @Override
    public String protocol() {
        return "MQTT 5.0";
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1883);
    }
}
