package dev.midge.protocol;

import io.netty.handler.codec.DecoderException;

/** A packet over a limit the broker sets, not the protocol: MQTT 5 answers it with DISCONNECT 0x97. */
public final class QuotaExceededException extends DecoderException {

    public QuotaExceededException(String message) {
        super(message);
    }
}
