package dev.midge.management.dashboard;

import dev.midge.config.MidgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's logins: random tokens held here (the cookie carries nothing else), each ending after
 * {@code midge.dashboard.session-timeout} without use, or at logout.
 */
@ApplicationScoped
public class DashboardLogins {

    /** The session cookie's name. */
    public static final String COOKIE = "midge_dashboard";
    /** The header the dashboard's own requests carry; a cross-site form cannot set it (see AdminAccessFilter). */
    public static final String HEADER = "X-Midge-Dashboard";
    private static final int TOKEN_BYTES = 32;

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long timeoutNanos;

    public DashboardLogins(MidgeConfig config) {
        this.timeoutNanos = config.dashboard().sessionTimeout().toNanos();
    }

    /** Starts a login and returns its token. */
    public String open() {
        long now = System.nanoTime();
        expiries.values().removeIf(expiry -> expiry - now < 0);
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, now + timeoutNanos);
        return token;
    }

    /** Whether the token (null when absent) is a login still open; using it postpones its end. */
    public boolean isOpen(String token) {
        if (token == null) {
            return false;
        }
        long now = System.nanoTime();
        Long expiry = expiries.computeIfPresent(token, (t, old) -> old - now < 0 ? null : now + timeoutNanos);
        return expiry != null;
    }

    public void close(String token) {
        if (token != null) {
            expiries.remove(token);
        }
    }
}
