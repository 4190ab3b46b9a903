package dev.midge.management;

import java.time.Instant;

/**
 * A client id refused for flapping, as the admin API shows it.
 *
 * @param reason why it is banned: {@code flapping}
 * @param until when the ban ends unless lifted sooner
 */
public record BanInfo(String clientId, String reason, Instant until) {
}
