package dev.midge.config.mosquitto;

import java.util.Map;

/**
 * Maps {@code log_dest}, {@code log_type}, {@code log_timestamp}, {@code log_timestamp_format} and
 * {@code connection_messages} onto Quarkus' log settings and Midge's connection lines.
 */
final class LogMapping {

    /** Mosquitto's log types, most verbose first, and the level each needs. */
    private static final Map<String, Integer> VERBOSITY = Map.of("all", 0, "debug", 0, "subscribe", 1,
            "unsubscribe", 1, "websockets", 1, "information", 1, "notice", 1, "warning", 2, "error", 3, "none", 4);
    private static final String[] LEVELS = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};

    private ConfLine file;
    private ConfLine console;
    private boolean stderr;
    private boolean none;
    private ConfLine logType;
    private int verbosity = Integer.MAX_VALUE;
    private Boolean timestamp;
    private String timestampPattern;
    private ConfLine timestampLine;

    boolean accept(ConfLine line, MappingTarget target) {
        switch (line.option()) {
            case "log_dest" -> dest(line, target);
            case "log_type" -> {
                Integer level = VERBOSITY.get(line.value());
                if (level == null) {
                    throw new MosquittoConfException(line, "invalid log_type \"" + line.value() + "\"");
                }
                logType = line;
                verbosity = Math.min(verbosity, level);
            }
            case "log_timestamp" -> {
                timestamp = MappingTarget.bool(line);
                timestampLine = line;
            }
            case "log_timestamp_format" -> {
                timestampPattern = StrftimePattern.toJava(line.value());
                if (timestampPattern == null) {
                    target.notHonoured(line, "only %Y %m %d %H %M %S %z %Z and %% are understood");
                } else {
                    timestampLine = line;
                }
            }
            case "connection_messages" -> target.set("midge.log.connection-messages",
                    Boolean.toString(MappingTarget.bool(line)), line);
            case "log_facility" -> target.notHonoured(line, "Midge does not log to syslog");
            default -> {
                return false;
            }
        }
        return true;
    }

    private void dest(ConfLine line, MappingTarget target) {
        String kind = line.word(0) == null ? "" : line.word(0);
        switch (kind) {
            case "file" -> {
                String path = line.value().substring(kind.length()).strip();
                if (path.isEmpty()) {
                    throw new MosquittoConfException(line, "empty log file name");
                }
                file = line;
                target.set("quarkus.log.file.enabled", "true", line);
                target.set("quarkus.log.file.path", path, line);
            }
            case "stdout" -> console = line;
            case "stderr" -> {
                console = line;
                stderr = true;
            }
            case "none" -> none = true;
            case "syslog", "topic", "dlt" -> target.notHonoured(line, "Midge logs to files, stdout and stderr");
            default -> throw new MosquittoConfException(line, "invalid log_dest \"" + line.value() + "\"");
        }
    }

    void finish(MappingTarget target) {
        if (none || (file != null && console == null)) {
            target.set("quarkus.log.console.enabled", "false", none ? "log_dest none" : file.where());
        }
        if (console != null && stderr) {
            target.set("quarkus.log.console.stderr", "true", console);
        }
        if (logType != null) {
            target.set("quarkus.log.category.\"dev.midge\".level", LEVELS[verbosity], logType);
        }
        if (!target.has("midge.log.connection-messages")) {
            target.set("midge.log.connection-messages", "true", "Mosquitto's default (connection_messages true)");
        }
        String pattern = timestampPattern == null ? "yyyy-MM-dd'T'HH:mm:ss" : timestampPattern;
        String format = Boolean.FALSE.equals(timestamp) ? "%s%e%n" : "%d{" + pattern + "}: %s%e%n";
        String where = timestampLine == null ? "Mosquitto's line format" : timestampLine.where();
        target.set("quarkus.log.file.format", format, where);
        if (console != null) {
            target.set("quarkus.log.console.format", format, where);
        }
    }
}
