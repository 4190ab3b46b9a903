package dev.midge.delivery;

/** What a restart must know of the messages an {@link OutboundQueue} holds. Called on the queue's thread. */
public interface OutboundJournal {

    /** For queues nothing keeps across a restart. */
    OutboundJournal NONE = new OutboundJournal() {
        @Override
        public void inFlight(Outbound outbound) {
        }

        @Override
        public void released(Outbound outbound) {
        }

        @Override
        public void finished(Outbound outbound) {
        }
    };

    /** The message went out under its packet id. */
    void inFlight(Outbound outbound);

    /** Its PUBREC came back and PUBREL went out. */
    void released(Outbound outbound);

    /** Its delivery is over: acknowledged, refused, expired, discarded or dropped. */
    void finished(Outbound outbound);
}
