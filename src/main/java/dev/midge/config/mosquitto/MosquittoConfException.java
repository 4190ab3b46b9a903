package dev.midge.config.mosquitto;

/** A {@code mosquitto.conf} that Mosquitto itself would refuse: start-up stops with the file, line and reason. */
public final class MosquittoConfException extends RuntimeException {

    public MosquittoConfException(String where, String reason) {
        super("Error in " + where + ": " + reason);
    }

    public MosquittoConfException(ConfLine line, String reason) {
        this(line.where(), reason + " (" + line.option() + ")");
    }
}
