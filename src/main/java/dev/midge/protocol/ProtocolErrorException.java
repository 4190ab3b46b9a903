package dev.midge.protocol;

import io.netty.handler.codec.DecoderException;

/** A packet that is well-formed but breaks a protocol rule: MQTT 5 answers it with DISCONNECT 0x82. */
public final class ProtocolErrorException extends DecoderException {

    public ProtocolErrorException(String message) {
        super(message);
    }
}
