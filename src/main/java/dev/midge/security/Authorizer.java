package dev.midge.security;

import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;

/** Decides what an authenticated client may publish, subscribe to and receive. Must not block. */
public interface Authorizer {

    boolean canPublish(ClientIdentity client, TopicName topic);

    /** Whether the client may subscribe to the filter at all; each message is still checked with canReceive. */
    boolean canSubscribe(ClientIdentity client, TopicFilter filter);

    boolean canReceive(ClientIdentity client, TopicName topic);

    /** Whether any check can say no; when not, the message path skips the checks altogether. */
    boolean isRestrictive();
}
