package dev.midge.message;

/** A topic name or filter that breaks MQTT's rules; the message says which rule and quotes the text. */
public final class InvalidTopicException extends IllegalArgumentException {

    InvalidTopicException(String message) {
        super(message);
    }
}
