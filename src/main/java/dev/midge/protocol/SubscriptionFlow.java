package dev.midge.protocol;

import dev.midge.config.MidgeConfig;
import dev.midge.message.Message;
import dev.midge.message.SubscriptionOptions;
import dev.midge.message.TopicFilter;
import dev.midge.routing.Router;
import dev.midge.security.Authorizer;
import dev.midge.session.RetainedFeed;
import dev.midge.session.SessionLoop;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SUBSCRIBE and UNSUBSCRIBE: each filter checked and authorized, the session's subscriptions changed, the
 * acknowledgement sent once the routes are settled and stored, then the retained messages the new
 * subscriptions get.
 */
final class SubscriptionFlow {

    private static final int NO_LOCAL_ON_SHARED = -1;

    private final ConnectionContext connection;
    private final CloseFlow close;
    private final DurableAcks acks;
    private final Authorizer authorizer;
    private final Router router;
    private final MidgeConfig config;

    SubscriptionFlow(ConnectionContext connection, CloseFlow close, DurableAcks acks, Authorizer authorizer) {
        this.connection = connection;
        this.close = close;
        this.acks = acks;
        this.authorizer = authorizer;
        this.router = connection.services.router();
        this.config = connection.services.config();
    }

    void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            close.disconnect(ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without topic filters");
            return;
        }
        int subscriptionId;
        try {
            subscriptionId = connection.dialect.subscriptionIdentifier(
                    subscribe.idAndPropertiesVariableHeader().properties());
        } catch (ProtocolDialect.Violation violation) {
            close.disconnect(violation);
            return;
        }
        long changes = acks.changes();
        int[] codes = new int[requested.size()];
        SubscriptionOptions[] granted = new SubscriptionOptions[codes.length];
        boolean[] replaced = new boolean[codes.length];
        TopicFilter[] accepted = new TopicFilter[codes.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = subscribeOne(requested.get(i), subscriptionId, granted, replaced, accepted, i);
            if (codes[i] == NO_LOCAL_ON_SHARED) {
                close.disconnect(ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription");
                return;
            }
        }
        MqttSubAckMessage subAck = new MqttSubAckMessage(Packets.fixedHeader(MqttMessageType.SUBACK,
                MqttQoS.AT_MOST_ONCE), new MqttMessageIdAndPropertiesVariableHeader(
                        subscribe.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
        List<String> filters = requested.stream().map(MqttTopicSubscription::topicName).toList();
        whenRouted(filters, () -> acks.acknowledge(subAck, changes, () -> sendRetained(accepted, granted, replaced)));
    }

    /**
     * Subscribes to one filter; the granted QoS, the dialect's code for the refusal, or
     * {@link #NO_LOCAL_ON_SHARED}, which breaks the protocol.
     */
    private int subscribeOne(MqttTopicSubscription subscription, int subscriptionId, SubscriptionOptions[] granted,
            boolean[] replaced, TopicFilter[] accepted, int i) {
        String filter = subscription.topicName();
        MqttSubscriptionOption option = subscription.option();
        TopicFilter topicFilter = TopicFilter.parseOrNull(filter, config.maxTopicLevels());
        if (topicFilter == null) {
            return connection.dialect.subscriptionRefused(ReasonCode.TOPIC_FILTER_INVALID);
        }
        if (topicFilter.isShared() && option.isNoLocal()) {
            return NO_LOCAL_ON_SHARED;
        }
        TopicFilter plainFilter = topicFilter.unshared();
        if (authorizer.isRestrictive() && !authorizer.canSubscribe(connection.identity, plainFilter)) {
            connection.services.stats().unauthorized();
            return connection.dialect.subscriptionRefused(ReasonCode.NOT_AUTHORIZED);
        }
        SessionLoop sessionLoop = connection.sessionLoop;
        if (!sessionLoop.hasSubscription(filter)
                && sessionLoop.subscriptionCount() >= config.maxSubscriptionsPerClient()) {
            connection.services.stats().subscriptionRefused();
            return connection.dialect.subscriptionRefused(ReasonCode.QUOTA_EXCEEDED);
        }
        granted[i] = new SubscriptionOptions(option.qos().value(), option.isNoLocal(),
                option.isRetainAsPublished(), option.retainHandling().value(), subscriptionId);
        replaced[i] = sessionLoop.subscribe(topicFilter, granted[i]);
        accepted[i] = topicFilter;
        return granted[i].qos();
    }

    /** Runs the acknowledgement once every cluster node routes the filters as they are now; at once when alone. */
    private void whenRouted(List<String> filters, Runnable acknowledgement) {
        CompletableFuture<Void> routed = router.routesSettled(filters).toCompletableFuture();
        if (routed.isDone()) {
            acknowledgement.run();
            return;
        }
        routed.whenComplete((done, failure) -> connection.ctx.executor().execute(() -> {
            if (connection.isConnected()) {
                acknowledgement.run();
            }
        }));
    }

    /**
     * Retained messages for the new subscriptions, after their SUBACK: at most midge.max-retained-per-subscribe
     * of them, fed to the session as its queue drains rather than queued at once.
     */
    private void sendRetained(TopicFilter[] accepted, SubscriptionOptions[] granted, boolean[] replaced) {
        int limit = config.maxRetainedPerSubscribe() == 0 ? Integer.MAX_VALUE : config.maxRetainedPerSubscribe();
        for (int i = 0; i < granted.length && limit > 0; i++) {
            SubscriptionOptions options = granted[i];
            boolean sendRetained = options != null && !accepted[i].isShared()
                    && (options.retainHandling() == 0 || (options.retainHandling() == 1 && !replaced[i]));
            if (sendRetained) {
                List<Message> matching = router.retained().matching(accepted[i], limit);
                limit -= matching.size();
                connection.session.feedRetained(new RetainedFeed(matching, options));
            }
        }
    }

    void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            close.disconnect(ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without topic filters");
            return;
        }
        long changes = acks.changes();
        short[] codes = new short[filters.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = connection.sessionLoop.unsubscribe(filters.get(i)) ? ReasonCode.SUCCESS
                    : ReasonCode.NO_SUBSCRIPTION_EXISTED;
        }
        MqttUnsubAckMessage unsubAck = new MqttUnsubAckMessage(Packets.fixedHeader(MqttMessageType.UNSUBACK,
                MqttQoS.AT_MOST_ONCE), new MqttMessageIdAndPropertiesVariableHeader(
                        unsubscribe.variableHeader().messageId(), MqttProperties.NO_PROPERTIES),
                connection.dialect.unsubAckPayload(codes));
        whenRouted(filters, () -> acks.acknowledge(unsubAck, changes, null));
    }
}
