package dev.midge.session;

/** Why a session closes its attached connection. */
public enum CloseCause {

    /** The client stopped reading while its publishers waited: closed at once, without waiting for buffers. */
    TOO_SLOW,

    /** Another connection took over the session. */
    TAKEN_OVER,

    /** An operator asked to (the admin API). */
    ADMINISTRATOR
}
