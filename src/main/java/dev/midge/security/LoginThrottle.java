package dev.midge.security;

import dev.midge.config.MidgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Failed logins per client address. After {@code midge.auth.max-failures} failures within
 * {@code midge.auth.failure-window}, the address is refused without a credentials check until its window
 * ends, which makes guessing passwords slow. 0 turns it off. The table is bounded: past
 * {@link #MAX_ADDRESSES} addresses, expired windows are dropped, and if that is not enough new addresses are
 * not tracked until some expire.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);
    static final int MAX_ADDRESSES = 100_000;

    private static final class Window {
        long start;
        int failures;
    }

    private final int maxFailures;
    private final long windowMillis;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();

    @Inject
    public LoginThrottle(MidgeConfig config) {
        this(config.auth().maxFailures(), config.auth().failureWindow().toMillis());
    }

    public LoginThrottle(int maxFailures, long windowMillis) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
    }

    /** Whether logins from the address are refused now. */
    public boolean isBlocked(InetAddress address, long nowMillis) {
        return refusedForMillis(address, nowMillis) > 0;
    }

    /** How long logins from the address stay refused, in milliseconds; 0 when they are not refused. */
    public long refusedForMillis(InetAddress address, long nowMillis) {
        Window w = address == null ? null : windows.get(address);
        if (w == null || maxFailures == 0) {
            return 0;
        }
        synchronized (w) {
            return w.failures >= maxFailures ? Math.max(0, windowMillis - (nowMillis - w.start)) : 0;
        }
    }

    /** Forgets the address's failures after a successful login. */
    public void succeeded(InetAddress address) {
        if (address != null) {
            windows.remove(address);
        }
    }

    /** Counts a failed login from the address. */
    public void failed(InetAddress address, long nowMillis) {
        if (maxFailures == 0 || address == null) {
            return;
        }
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            windows.entrySet().removeIf(e -> expired(e.getValue(), nowMillis));
            if (windows.size() >= MAX_ADDRESSES) {
                LOG.debugf("Failed login from %s not tracked: %d addresses already are", address, MAX_ADDRESSES);
                return;
            }
        }
        Window w = windows.computeIfAbsent(address, a -> new Window());
        synchronized (w) {
            if (nowMillis - w.start >= windowMillis) {
                w.start = nowMillis;
                w.failures = 0;
            }
            w.failures++;
            if (w.failures == maxFailures) {
                LOG.warnf("%d failed logins from %s; its logins are refused for the next %d s", maxFailures,
                        address.getHostAddress(), (windowMillis - (nowMillis - w.start) + 999) / 1000);
            }
        }
    }

    private boolean expired(Window w, long nowMillis) {
        synchronized (w) {
            return nowMillis - w.start >= windowMillis;
        }
    }
}
