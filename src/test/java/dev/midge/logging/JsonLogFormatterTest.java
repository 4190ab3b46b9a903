package dev.midge.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void oneJsonObjectPerLineWithTheFormattedMessageEscaped() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "Client %s connected from %s",
                ExtLogRecord.FormatStyle.PRINTF, JsonLogFormatterTest.class.getName());
        record.setParameters(new Object[] {"dev\"ice\n7", "127.0.0.1:5000"});
        record.setLoggerName("dev.midge.protocol.MqttConnection");
        String line = new JsonLogFormatter().format(record);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "a single line: " + line);
        JsonNode json = MAPPER.readTree(line);
        assertEquals("INFO", json.get("level").asText());
        assertEquals("dev.midge.protocol.MqttConnection", json.get("logger").asText());
        assertEquals("Client dev\"ice\n7 connected from 127.0.0.1:5000", json.get("message").asText());
        assertTrue(json.get("timestamp").asText().endsWith("Z"));
    }

    @Test
    void anExceptionComesWithItsStackTrace() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "Writing the store failed",
                JsonLogFormatterTest.class.getName());
        record.setThrown(new IllegalStateException("disk full"));
        JsonNode json = MAPPER.readTree(new JsonLogFormatter().format(record));
        assertTrue(json.get("exception").asText().startsWith("java.lang.IllegalStateException: disk full"));
    }
}
