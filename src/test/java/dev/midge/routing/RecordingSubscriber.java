package dev.midge.routing;

import dev.midge.message.Delivery;
import dev.midge.message.Message;
import java.util.ArrayList;
import java.util.List;

/** A subscriber that is always online and keeping up, and notes the topic and delivery of what it gets. */
final class RecordingSubscriber implements Subscriber {

    final List<String> topics = new ArrayList<>();
    final List<Delivery> deliveries = new ArrayList<>();
    private final String clientId;

    RecordingSubscriber(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void deliver(Message message, Delivery delivery) {
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
