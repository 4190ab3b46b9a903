package dev.midge.management;

import dev.midge.session.SessionInfo;
import java.util.List;

/**
 * One page of clients, ordered by client id.
 *
 * @param total how many sessions the broker holds, online and offline
 */
public record ClientPage(int page, int size, int total, List<SessionInfo> clients) {
}
