package dev.midge.testing;

import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import dev.midge.security.Authorizer;
import dev.midge.security.ClientIdentity;

/** An authorizer that lets everyone do anything, for brokers wired by hand in tests. */
public final class AllowAll implements Authorizer {

    @Override
    public boolean canPublish(ClientIdentity client, TopicName topic) {
        return true;
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, TopicFilter filter) {
        return true;
    }

    @Override
    public boolean canReceive(ClientIdentity client, TopicName topic) {
        return true;
    }

    @Override
    public boolean isRestrictive() {
        return false;
    }
}
