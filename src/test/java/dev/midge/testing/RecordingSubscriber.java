package dev.midge.testing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import dev.midge.routing.Subscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A subscriber that is always online and keeping up, and notes what it gets. */
public final class RecordingSubscriber implements Subscriber {

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    public final List<String> topics = new CopyOnWriteArrayList<>();
    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final String clientId;

    public RecordingSubscriber(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
        messages.add(message);
        topics.add(message.topic());
        deliveries.add(delivery);
    }

    @Override
    public boolean isOnline() {
        return true;
    }

    @Override
    public boolean isCongested() {
        return false;
    }

    @Override
    public void whenDecongested(Runnable callback) {
        callback.run();
    }
}
