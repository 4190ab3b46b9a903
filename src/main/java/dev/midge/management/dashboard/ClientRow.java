package dev.midge.management.dashboard;

import dev.midge.session.SessionInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One line of the dashboard's clients page: a session's snapshot with who logged in and which node holds it.
 *
 * @param user the user name its last connection logged in with, or null
 * @param node the cluster node that holds the session; {@code local} when clustering is off
 */
@RegisterForReflection
public record ClientRow(String clientId, String user, String node, SessionInfo session) {

    /** One page of rows; {@code total} counts every session the search matched. */
    @RegisterForReflection
    public record Page(int page, int size, int total, List<ClientRow> clients) {
    }
}
