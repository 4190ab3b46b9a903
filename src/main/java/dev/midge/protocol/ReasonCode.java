package dev.midge.protocol;

/** MQTT 5 reason codes the server sends. */
final class ReasonCode {

    static final byte SUCCESS = 0x00;
    static final byte NO_SUBSCRIPTION_EXISTED = 0x11;
    static final byte CONTINUE_AUTHENTICATION = 0x18;
    static final byte REAUTHENTICATE = 0x19;
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte UNSPECIFIED_ERROR = (byte) 0x80;
    static final byte MALFORMED_PACKET = (byte) 0x81;
    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
    static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
    static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
    static final byte TOPIC_FILTER_INVALID = (byte) 0x8F;
    static final byte TOPIC_NAME_INVALID = (byte) 0x90;
    static final byte PACKET_ID_NOT_FOUND = (byte) 0x92;
    static final byte RECEIVE_MAXIMUM_EXCEEDED = (byte) 0x93;
    static final byte TOPIC_ALIAS_INVALID = (byte) 0x94;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte MESSAGE_RATE_TOO_HIGH = (byte) 0x96;
    static final byte QUOTA_EXCEEDED = (byte) 0x97;
    static final byte ADMINISTRATIVE_ACTION = (byte) 0x98;
    static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
    static final byte RETAIN_NOT_SUPPORTED = (byte) 0x9A;

    private ReasonCode() {
    }

    /** Whether a DISCONNECT with this code says the client broke the protocol (not a takeover, shutdown, ...). */
    static boolean isProtocolViolation(byte code) {
        return switch (code) {
            case MALFORMED_PACKET, PROTOCOL_ERROR, TOPIC_NAME_INVALID, RECEIVE_MAXIMUM_EXCEEDED, TOPIC_ALIAS_INVALID,
                    PACKET_TOO_LARGE, PAYLOAD_FORMAT_INVALID -> true;
            default -> false;
        };
    }
}
