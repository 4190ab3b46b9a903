package dev.midge.security;

import dev.midge.config.MidgeConfig;
import dev.midge.security.AclFile.Access;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Authentication from {@code midge.auth.password-file} and authorization from {@code midge.auth.acl-file},
 * both reloaded when they change. Without files, everyone may connect and do anything, as a broker started
 * with no configuration should; with a password file, anonymous clients are refused unless allowed.
 */
@ApplicationScoped
public class FileSecurity implements Authenticator, Authorizer {

    private final boolean allowAnonymous;
    private final ReloadingFile<PasswordFile> passwords;
    private final ReloadingFile<AclFile> acl;
    private final ScheduledExecutorService watcher;

    public FileSecurity(MidgeConfig config) {
        MidgeConfig.Auth auth = config.auth();
        passwords = auth.passwordFile().map(f -> load("midge.auth.password-file", f, PasswordFile::read))
                .orElse(null);
        acl = auth.aclFile().map(f -> load("midge.auth.acl-file", f, AclFile::read)).orElse(null);
        allowAnonymous = auth.allowAnonymous().orElse(passwords == null);
        if (passwords == null && acl == null) {
            watcher = null;
            return;
        }
        // File reads must stay off the event loops, so one small daemon thread looks for changes.
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "midge-security-files");
            t.setDaemon(true);
            return t;
        });
        long every = auth.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    private static <T> ReloadingFile<T> load(String key, String file, ReloadingFile.Reader<T> reader) {
        try {
            return new ReloadingFile<>(Path.of(file), reader);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void refresh() {
        if (passwords != null) {
            passwords.refresh();
        }
        if (acl != null) {
            acl.refresh();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    @Override
    public Outcome authenticate(String clientId, String username, byte[] password) {
        if (username == null) {
            return allowAnonymous ? Outcome.ACCEPTED : Outcome.NOT_AUTHORIZED;
        }
        if (passwords == null) {
            return allowAnonymous ? Outcome.ACCEPTED : Outcome.NOT_AUTHORIZED;
        }
        return passwords.value().verify(username, password) ? Outcome.ACCEPTED : Outcome.BAD_CREDENTIALS;
    }

    @Override
    public boolean isRestrictive() {
        return acl != null;
    }

    @Override
    public boolean canPublish(ClientIdentity client, String topic) {
        return acl == null || acl.value().allows(client, topic, Access.WRITE);
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, String filter) {
        return acl == null || acl.value().mayRead(client, filter);
    }

    @Override
    public boolean canReceive(ClientIdentity client, String topic) {
        return acl == null || acl.value().allows(client, topic, Access.READ);
    }
}
