package dev.midge.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.midge.limits.LimitState;
import dev.midge.session.SessionInfo;

/**
 * One client as {@code GET /api/v1/clients/{id}} shows it: its session's fields and, while it is connected with
 * a publish limit, that limit's state under {@code limits}.
 */
public final class ClientView {

    private final SessionInfo session;
    private final LimitState limits;

    ClientView(SessionInfo session, LimitState limits) {
        this.session = session;
        this.limits = limits;
    }

    @JsonUnwrapped
    public SessionInfo getSession() {
        return session;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public LimitState getLimits() {
        return limits;
    }
}
