package dev.midge.bridge;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The messages an integration sends out, handed to its connector as the connector asks for them. Those the
 * connector has not asked for yet wait in a bounded queue; beyond it they are dropped and counted, so that a
 * connector that stalls (its Kafka cluster away, say) never holds up local publishers or grows the heap.
 * All state lives on one event loop; one subscriber only, as a channel has one downstream.
 */
final class OutgoingFeed implements Flow.Publisher<Message<?>> {

    private final EventLoop loop;
    private final int capacity;
    private final LongAdder dropped;
    private final ArrayDeque<Message<?>> queue = new ArrayDeque<>();
    private Flow.Subscriber<? super Message<?>> subscriber;
    private long demand;
    private boolean cancelled;

    OutgoingFeed(EventLoop loop, int capacity, LongAdder dropped) {
        this.loop = loop;
        this.capacity = capacity;
        this.dropped = dropped;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message<?>> s) {
        loop.execute(() -> {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("an integration's channel has one downstream only"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    loop.execute(() -> requested(n));
                }

                @Override
                public void cancel() {
                    loop.execute(() -> {
                        cancelled = true;
                        dropped.add(queue.size());
                        queue.clear();
                    });
                }
            });
        });
    }

    private void requested(long n) {
        if (cancelled) {
            return;
        }
        if (n <= 0) {
            cancelled = true;
            subscriber.onError(new IllegalArgumentException("request(" + n + "): must be positive (rule 3.9)"));
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    /** Queues one message for the connector. On the loop. */
    void offer(Message<?> message) {
        if (cancelled || queue.size() >= capacity) {
            dropped.increment();
            return;
        }
        queue.add(message);
        drain();
    }

    /** Messages waiting for the connector to ask for them. On the loop. */
    int queued() {
        return queue.size();
    }

    /**
     * Nothing more will come; what the connector has not asked for yet is dropped. Any thread; done once the
     * connector has been told.
     */
    Future<?> complete() {
        return loop.submit(() -> {
            dropped.add(queue.size());
            queue.clear();
            if (subscriber != null && !cancelled) {
                cancelled = true;
                subscriber.onComplete();
            }
        });
    }

    private void drain() {
        while (subscriber != null && demand > 0 && !queue.isEmpty() && !cancelled) {
            demand--;
            subscriber.onNext(queue.poll());
        }
    }
}
