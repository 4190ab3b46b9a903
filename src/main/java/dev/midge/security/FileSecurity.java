package dev.midge.security;

import dev.midge.config.MidgeConfig;
import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
import dev.midge.security.AclFile.Access;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Authentication from a password file and authorization from an ACL file, both reloaded when they change.
 * Without files, everyone may connect and do anything, as a broker started with no configuration should; with
 * a password file, anonymous clients are refused unless allowed. The bean reads {@code midge.auth.*}; a
 * listener with settings of its own ({@code midge.listener-auth.<listener>.*}) gets an instance of its own.
 * A singleton, so that the check each delivery makes is a plain call, not a client proxy's lookup.
 */
@Singleton
public class FileSecurity implements Authenticator, Authorizer {

    /** Changed at run time when SIGHUP finds a new allow_anonymous in the mosquitto.conf. */
    private volatile boolean allowAnonymous;
    /** allow_anonymous as configured, which {@link #allowAnonymous} follows when the password file changes. */
    private volatile Optional<Boolean> allowAnonymousSetting;
    /** Replaced at run time when SIGHUP finds another password_file in the mosquitto.conf. */
    private volatile ReloadingFile<PasswordFile> passwords;
    /** Replaced at run time when SIGHUP finds another acl_file in the mosquitto.conf. */
    private volatile ReloadingFile<AclFile> acl;
    private final CryptoWorkers workers;
    private final String prefix;
    private final FileWatcher watcher;

    @Inject
    public FileSecurity(MidgeConfig config, FileWatcher watcher, CryptoWorkers workers) {
        this("midge.auth", config.auth().allowAnonymous(), config.auth().passwordFile(), config.auth().aclFile(),
                watcher, workers);
    }

    /** @param prefix where the settings come from, such as {@code midge.listener-auth.tls}, for error messages */
    public FileSecurity(String prefix, Optional<Boolean> allowAnonymous, Optional<String> passwordFile,
            Optional<String> aclFile, FileWatcher watcher, CryptoWorkers workers) {
        this.workers = workers;
        this.prefix = prefix;
        this.watcher = watcher;
        passwords = replace(null, passwordFile.map(this::passwords).orElse(null));
        acl = replace(null, aclFile.map(this::acl).orElse(null));
        allowAnonymous(allowAnonymous);
    }

    /** Whether clients without a user name may connect from now on; unset: only when there is no password file. */
    public synchronized void allowAnonymous(Optional<Boolean> allow) {
        allowAnonymousSetting = allow;
        allowAnonymous = allow.orElse(passwords == null);
    }

    /**
     * The password file logins are checked against from now on, or none.
     *
     * @throws IllegalArgumentException when the file cannot be read; the one in use stays
     */
    public synchronized void passwordFile(Optional<String> file) {
        passwords = replace(passwords, file.map(this::passwords).orElse(null));
        allowAnonymous(allowAnonymousSetting);
    }

    /**
     * The ACL file publishes, subscriptions and deliveries are checked against from now on, or none.
     *
     * @throws IllegalArgumentException when the file cannot be read; the one in use stays
     */
    public synchronized void aclFile(Optional<String> file) {
        acl = replace(acl, file.map(this::acl).orElse(null));
    }

    /** Watches the file now in use instead of the one before; either may be null. */
    private <T> ReloadingFile<T> replace(ReloadingFile<T> before, ReloadingFile<T> now) {
        if (before != null) {
            watcher.unwatch(before);
        }
        if (now != null) {
            watcher.watch(now);
        }
        return now;
    }

    private ReloadingFile<PasswordFile> passwords(String file) {
        return ReloadingFile.configured(prefix + ".password-file", file, PasswordFile::read);
    }

    private ReloadingFile<AclFile> acl(String file) {
        return ReloadingFile.configured(prefix + ".acl-file", file, AclFile::read);
    }

    /** Anonymous clients are answered at once; a password is hashed on the {@link CryptoWorkers}. */
    @Override
    public CompletionStage<Outcome> authenticate(String clientId, String username, byte[] password) {
        ReloadingFile<PasswordFile> inUse = passwords;
        if (username == null || inUse == null) {
            return CompletableFuture.completedFuture(allowAnonymous ? Outcome.ACCEPTED : Outcome.NOT_AUTHORIZED);
        }
        PasswordFile file = inUse.value();
        try {
            return CompletableFuture.supplyAsync(
                    () -> file.verify(username, password) ? Outcome.ACCEPTED : Outcome.BAD_CREDENTIALS, workers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Outcome.UNAVAILABLE);
        }
    }

    @Override
    public boolean isRestrictive() {
        return acl != null;
    }

    @Override
    public boolean canPublish(ClientIdentity client, TopicName topic) {
        ReloadingFile<AclFile> inUse = acl;
        return inUse == null || inUse.value().allows(client, topic, Access.WRITE);
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, TopicFilter filter) {
        ReloadingFile<AclFile> inUse = acl;
        return inUse == null || inUse.value().mayRead(client, filter);
    }

    @Override
    public boolean canReceive(ClientIdentity client, TopicName topic) {
        ReloadingFile<AclFile> inUse = acl;
        return inUse == null || inUse.value().allows(client, topic, Access.READ);
    }
}
