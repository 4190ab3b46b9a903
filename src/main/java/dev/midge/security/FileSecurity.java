package dev.midge.security;

import dev.midge.config.MidgeConfig;
import dev.midge.security.AclFile.Access;
import jakarta.enterprise.context.ApplicationScoped;

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

    public FileSecurity(MidgeConfig config, FileWatcher watcher) {
        MidgeConfig.Auth auth = config.auth();
        passwords = auth.passwordFile()
                .map(f -> ReloadingFile.configured("midge.auth.password-file", f, PasswordFile::read)).orElse(null);
        acl = auth.aclFile().map(f -> ReloadingFile.configured("midge.auth.acl-file", f, AclFile::read))
                .orElse(null);
        allowAnonymous = auth.allowAnonymous().orElse(passwords == null);
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
