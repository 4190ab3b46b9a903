package dev.midge.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;

/** The enhanced authentication methods the broker offers, by name. */
@ApplicationScoped
public class EnhancedAuthenticators {

    private final Map<String, EnhancedAuthenticator> byMethod = new HashMap<>();

    public EnhancedAuthenticators(Instance<EnhancedAuthenticator> authenticators) {
        authenticators.forEach(a -> byMethod.put(a.method(), a));
    }

    /** The authenticator for a method, or null when the broker does not offer it. */
    public EnhancedAuthenticator find(String method) {
        return byMethod.get(method);
    }
}
