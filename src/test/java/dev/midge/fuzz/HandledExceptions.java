package dev.midge.fuzz;

import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Exceptions the broker caught itself. The protocol handler closes a connection on any exception and logs it
 * at debug level; a malformed packet is expected there, anything else (a NullPointerException, an
 * IllegalStateException) is a bug that a real client would only see as a dropped connection.
 */
final class HandledExceptions extends Handler implements AutoCloseable {

    private static final String BROKER_LOGGERS = "dev.midge";

    private final Logger logger = Logger.getLogger(BROKER_LOGGERS);
    private final Level previousLevel;
    private final boolean previousUseParent;
    private final List<String> unexpected = new ArrayList<>();

    HandledExceptions() {
        previousLevel = logger.getLevel();
        previousUseParent = logger.getUseParentHandlers();
        setLevel(Level.ALL);
        logger.setLevel(Level.FINE);
        // Millions of connections come and go while fuzzing: their log lines would only slow it down.
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown != null && !(thrown instanceof DecoderException)) {
            unexpected.add(record.getMessage() + ": " + ExceptionRecorder.describe(thrown));
        }
    }

    synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    synchronized void clear() {
        unexpected.clear();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
        logger.setUseParentHandlers(previousUseParent);
    }
}
