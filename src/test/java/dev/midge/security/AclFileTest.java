package dev.midge.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midge.security.AclFile.Access;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mosquitto's acl_file syntax and its first-match rules. */
class AclFileTest {

    private static final ClientIdentity ANONYMOUS = new ClientIdentity("anon-1", null);
    private static final ClientIdentity ALICE = new ClientIdentity("dev-7", "alice");
    private static final ClientIdentity BOB = new ClientIdentity("dev-8", "bob");

    @TempDir
    Path dir;

    private AclFile acl;

    @BeforeEach
    void read() throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, String.join("\n",
                "# anonymous clients",
                "topic read public/#",
                "",
                "user alice",
                "topic deny sensors/secret",
                "topic readwrite sensors/#",
                "topic write commands/+",
                "topic read with space/in name",
                "",
                "user bob",
                "topic read sensors/+/temp",
                "",
                "pattern readwrite clients/%c/#",
                "pattern read users/%u/inbox"));
        acl = AclFile.read(file);
    }

    @Test
    void anonymousRulesApplyOnlyToClientsWithoutAUserName() {
        assertTrue(acl.allows(ANONYMOUS, "public/news", Access.READ));
        assertFalse(acl.allows(ANONYMOUS, "public/news", Access.WRITE));
        assertFalse(acl.allows(ALICE, "public/news", Access.READ));
    }

    @Test
    void userRulesGrantByAccessKind() {
        assertTrue(acl.allows(ALICE, "sensors/a/temp", Access.READ));
        assertTrue(acl.allows(ALICE, "sensors/a/temp", Access.WRITE));
        assertTrue(acl.allows(ALICE, "commands/reboot", Access.WRITE));
        assertFalse(acl.allows(ALICE, "commands/reboot", Access.READ));
        assertTrue(acl.allows(ALICE, "with space/in name", Access.READ));
        assertTrue(acl.allows(BOB, "sensors/a/temp", Access.READ));
        assertFalse(acl.allows(BOB, "sensors/a/temp", Access.WRITE));
        assertFalse(acl.allows(BOB, "sensors/a/humidity", Access.READ));
    }

    @Test
    void theFirstMatchingRuleDecidesSoDenyWinsBeforeABroaderGrant() {
        assertFalse(acl.allows(ALICE, "sensors/secret", Access.READ));
        assertFalse(acl.allows(ALICE, "sensors/secret", Access.WRITE));
    }

    @Test
    void patternsSubstituteClientIdAndUserName() {
        assertTrue(acl.allows(ALICE, "clients/dev-7/state", Access.WRITE));
        assertFalse(acl.allows(ALICE, "clients/dev-8/state", Access.WRITE));
        assertTrue(acl.allows(ANONYMOUS, "clients/anon-1/x", Access.READ));
        assertTrue(acl.allows(BOB, "users/bob/inbox", Access.READ));
        assertFalse(acl.allows(BOB, "users/alice/inbox", Access.READ));
        assertFalse(acl.allows(ANONYMOUS, "users//inbox", Access.READ), "%u never matches without a user name");
    }

    @Test
    void subscriptionsNeedSomeReadableOverlap() {
        assertTrue(acl.mayRead(BOB, "sensors/+/temp"));
        assertTrue(acl.mayRead(BOB, "sensors/#"));
        assertTrue(acl.mayRead(BOB, "#"));
        assertFalse(acl.mayRead(BOB, "commands/#"));
        assertFalse(acl.mayRead(ALICE, "commands/reboot"), "write-only");
        assertTrue(acl.mayRead(ALICE, "clients/dev-7/#"));
        assertFalse(acl.mayRead(ALICE, "clients/dev-8/#"));
    }

    @Test
    void aSubscriptionToExactlyADeniedTopicIsRefusedThoughABroaderRuleFollows() {
        assertFalse(acl.mayRead(ALICE, "sensors/secret"), "deny sensors/secret decides first");
        assertTrue(acl.mayRead(ALICE, "sensors/public"));
        assertTrue(acl.mayRead(ALICE, "sensors/+"), "some topics it matches are readable");
    }

    @Test
    void aWildcardSubscriptionIsRefusedWhenADenyBeforeEveryGrantCoversIt() throws Exception {
        Path file = dir.resolve("deny-first");
        Files.writeString(file, String.join("\n",
                "topic deny private/area",
                "topic deny secret/#",
                "topic deny +/hidden/+",
                "topic readwrite #"));
        AclFile denyFirst = AclFile.read(file);
        assertFalse(denyFirst.mayRead(ANONYMOUS, "private/area"));
        assertTrue(denyFirst.mayRead(ANONYMOUS, "private/area/sub"), "not matched by the deny");
        assertFalse(denyFirst.mayRead(ANONYMOUS, "secret/#"));
        assertFalse(denyFirst.mayRead(ANONYMOUS, "secret/+/x"));
        assertFalse(denyFirst.mayRead(ANONYMOUS, "a/hidden/+"));
        assertFalse(denyFirst.mayRead(ANONYMOUS, "+/hidden/+"));
        assertTrue(denyFirst.mayRead(ANONYMOUS, "a/hidden/#"), "a/hidden itself is not denied");
        assertTrue(denyFirst.mayRead(ANONYMOUS, "private/+"), "private/other is readable");
        assertTrue(denyFirst.mayRead(ANONYMOUS, "#"));
    }

    @Test
    void aDenyCoversAFilterWhenEveryTopicTheFilterMatchesMatchesTheDeny() {
        assertTrue(AclFile.covers("a/#", "a/#"));
        assertTrue(AclFile.covers("a/#", "a"));
        assertTrue(AclFile.covers("a/#", "a/+/c"));
        assertTrue(AclFile.covers("+/b", "+/b"));
        assertTrue(AclFile.covers("+/b", "x/b"));
        assertTrue(AclFile.covers("#", "a/#"));
        assertFalse(AclFile.covers("a/b", "a/+"));
        assertFalse(AclFile.covers("a/+", "a/#"), "a/# matches a and a/b/c too");
        assertFalse(AclFile.covers("a", "a/#"));
        assertFalse(AclFile.covers("a/b/c", "a/b"));
        assertFalse(AclFile.covers("a/b", "a/b/c"));
    }

    @Test
    void overlapOfFilters() {
        assertTrue(AclFile.overlap("a/+/c", "a/b/#"));
        assertTrue(AclFile.overlap("a/#", "a"));
        assertFalse(AclFile.overlap("a/b", "a/c"));
        assertFalse(AclFile.overlap("a/b/c", "a/b"));
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        Path file = dir.resolve("bad-acl");
        Files.writeString(file, "user alice\ntopic read ok/#\ntopik read typo\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AclFile.read(file));
        assertTrue(e.getMessage().contains(file + ":3"), e.getMessage());
        Files.writeString(file, "topic read a/#/b\n");
        e = assertThrows(IllegalArgumentException.class, () -> AclFile.read(file));
        assertTrue(e.getMessage().contains(file + ":1"), e.getMessage());
    }
}
