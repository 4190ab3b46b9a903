package dev.midge.session;

/**
 * Where a client id is owned beyond this node: a cluster records that the id connected here, so that a
 * connection with the same id on another node takes the session over. {@link #LOCAL} is a broker alone.
 */
public interface ClientIdOwnership {

    ClientIdOwnership LOCAL = new ClientIdOwnership() {
        @Override
        public void claim(String clientId) {
        }

        @Override
        public void release(String clientId) {
        }
    };

    /** A CONNECT with this id opened or resumed its session here. Called on the connection's loop: no blocking. */
    void claim(String clientId);

    /** The id's session here has ended. Any thread, no blocking. */
    void release(String clientId);
}
