package dev.midge.security;

import dev.midge.config.MidgeConfig;
import dev.midge.security.AclFile.Access;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Authentication from a password file and authorization from an ACL file, both reloaded when they change.
 * Without files, everyone may connect and do anything, as a broker started with no configuration should; with
 * a password file, anonymous clients are refused unless allowed. The bean reads {@code midge.auth.*}; a
 * listener with settings of its own ({@code midge.listener-auth.<listener>.*}) gets an instance of its own.
 */
@ApplicationScoped
public class FileSecurity implements Authenticator, Authorizer {

    private final boolean allowAnonymous;
    private final ReloadingFile<PasswordFile> passwords;
    private final ReloadingFile<AclFile> acl;

    @Inject
    public FileSecurity(MidgeConfig config, FileWatcher watcher) {
        this("midge.auth", config.auth().allowAnonymous(), config.auth().passwordFile(), config.auth().aclFile(),
                watcher);
    }

    /** @param prefix where the settings come from, such as {@code midge.listener-auth.tls}, for error messages */
    public FileSecurity(String prefix, Optional<Boolean> allowAnonymous, Optional<String> passwordFile,
            Optional<String> aclFile, FileWatcher watcher) {
        passwords = passwordFile
                .map(f -> ReloadingFile.configured(prefix + ".password-file", f, PasswordFile::read)).orElse(null);
        acl = aclFile.map(f -> ReloadingFile.configured(prefix + ".acl-file", f, AclFile::read)).orElse(null);
        this.allowAnonymous = allowAnonymous.orElse(passwords == null);
        if (passwords != null) {
            watcher.watch(passwords);
        }
        if (acl != null) {
            watcher.watch(acl);
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
