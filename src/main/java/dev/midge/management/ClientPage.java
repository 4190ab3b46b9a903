package dev.midge.management;

import dev.midge.session.SessionInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One page of clients, ordered by client id.
 *
 * @param total how many sessions the broker holds, online and offline; with clustering on, all the nodes
 * @param unansweredNodes cluster nodes that did not answer in time, whose clients are missing from the page
 */
// Sent as the entity of a Response, which the native build cannot see from the method signature.
@RegisterForReflection
public record ClientPage(int page, int size, int total, List<SessionInfo> clients, List<String> unansweredNodes) {
}
