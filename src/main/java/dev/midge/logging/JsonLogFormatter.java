package dev.midge.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON object per line, for log collectors: {@code timestamp} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, the MDC entries under {@code mdc}, and {@code exception}
 * with the stack trace when there is one.
 */
public final class JsonLogFormatter extends Formatter {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            if (record instanceof ExtLogRecord ext) {
                json.writeStringField("thread", ext.getThreadName());
                Map<String, String> mdc = ext.getMdcCopy();
                if (!mdc.isEmpty()) {
                    json.writeObjectFieldStart("mdc");
                    for (Map.Entry<String, String> e : mdc.entrySet()) {
                        json.writeStringField(e.getKey(), e.getValue());
                    }
                    json.writeEndObject();
                }
            }
            // JBoss Logging records carry printf-style formats, which only they know how to apply.
            json.writeStringField("message", record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                    : formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
