package dev.midge.security;

import dev.midge.message.TopicFilter;
import dev.midge.message.TopicName;
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
        assertTrue(acl.allows(ANONYMOUS, TopicName.of("public/news"), Access.READ));
        assertFalse(acl.allows(ANONYMOUS, TopicName.of("public/news"), Access.WRITE));
        assertFalse(acl.allows(ALICE, TopicName.of("public/news"), Access.READ));
    }

    @Test
    void userRulesGrantByAccessKind() {
        assertTrue(acl.allows(ALICE, TopicName.of("sensors/a/temp"), Access.READ));
        assertTrue(acl.allows(ALICE, TopicName.of("sensors/a/temp"), Access.WRITE));
        assertTrue(acl.allows(ALICE, TopicName.of("commands/reboot"), Access.WRITE));
        assertFalse(acl.allows(ALICE, TopicName.of("commands/reboot"), Access.READ));
        assertTrue(acl.allows(ALICE, TopicName.of("with space/in name"), Access.READ));
        assertTrue(acl.allows(BOB, TopicName.of("sensors/a/temp"), Access.READ));
        assertFalse(acl.allows(BOB, TopicName.of("sensors/a/temp"), Access.WRITE));
        assertFalse(acl.allows(BOB, TopicName.of("sensors/a/humidity"), Access.READ));
    }

    @Test
    void theFirstMatchingRuleDecidesSoDenyWinsBeforeABroaderGrant() {
        assertFalse(acl.allows(ALICE, TopicName.of("sensors/secret"), Access.READ));
        assertFalse(acl.allows(ALICE, TopicName.of("sensors/secret"), Access.WRITE));
    }

    @Test
    void patternsSubstituteClientIdAndUserName() {
        assertTrue(acl.allows(ALICE, TopicName.of("clients/dev-7/state"), Access.WRITE));
        assertFalse(acl.allows(ALICE, TopicName.of("clients/dev-8/state"), Access.WRITE));
        assertTrue(acl.allows(ANONYMOUS, TopicName.of("clients/anon-1/x"), Access.READ));
        assertTrue(acl.allows(BOB, TopicName.of("users/bob/inbox"), Access.READ));
        assertFalse(acl.allows(BOB, TopicName.of("users/alice/inbox"), Access.READ));
        assertFalse(acl.allows(ANONYMOUS, TopicName.of("users//inbox"), Access.READ),
                "%u never matches without a user name");
    }

    @Test
    void subscriptionsNeedSomeReadableOverlap() {
        assertTrue(acl.mayRead(BOB, TopicFilter.of("sensors/+/temp")));
        assertTrue(acl.mayRead(BOB, TopicFilter.of("sensors/#")));
        assertTrue(acl.mayRead(BOB, TopicFilter.of("#")));
        assertFalse(acl.mayRead(BOB, TopicFilter.of("commands/#")));
        assertFalse(acl.mayRead(ALICE, TopicFilter.of("commands/reboot")), "write-only");
        assertTrue(acl.mayRead(ALICE, TopicFilter.of("clients/dev-7/#")));
        assertFalse(acl.mayRead(ALICE, TopicFilter.of("clients/dev-8/#")));
    }

    @Test
    void aSubscriptionToExactlyADeniedTopicIsRefusedThoughABroaderRuleFollows() {
        assertFalse(acl.mayRead(ALICE, TopicFilter.of("sensors/secret")), "deny sensors/secret decides first");
        assertTrue(acl.mayRead(ALICE, TopicFilter.of("sensors/public")));
        assertTrue(acl.mayRead(ALICE, TopicFilter.of("sensors/+")), "some topics it matches are readable");
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
        assertFalse(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("private/area")));
        assertTrue(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("private/area/sub")), "not matched by the deny");
        assertFalse(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("secret/#")));
        assertFalse(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("secret/+/x")));
        assertFalse(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("a/hidden/+")));
        assertFalse(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("+/hidden/+")));
        assertTrue(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("a/hidden/#")), "a/hidden itself is not denied");
        assertTrue(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("private/+")), "private/other is readable");
        assertTrue(denyFirst.mayRead(ANONYMOUS, TopicFilter.of("#")));
    }

    @Test
    void aDenyCoversAFilterWhenEveryTopicTheFilterMatchesMatchesTheDeny() {
        assertTrue(AclFile.covers(TopicFilter.of("a/#"), TopicFilter.of("a/#")));
        assertTrue(AclFile.covers(TopicFilter.of("a/#"), TopicFilter.of("a")));
        assertTrue(AclFile.covers(TopicFilter.of("a/#"), TopicFilter.of("a/+/c")));
        assertTrue(AclFile.covers(TopicFilter.of("+/b"), TopicFilter.of("+/b")));
        assertTrue(AclFile.covers(TopicFilter.of("+/b"), TopicFilter.of("x/b")));
        assertTrue(AclFile.covers(TopicFilter.of("#"), TopicFilter.of("a/#")));
        assertFalse(AclFile.covers(TopicFilter.of("a/b"), TopicFilter.of("a/+")));
        assertFalse(AclFile.covers(TopicFilter.of("a/+"), TopicFilter.of("a/#")), "a/# matches a and a/b/c too");
        assertFalse(AclFile.covers(TopicFilter.of("a"), TopicFilter.of("a/#")));
        assertFalse(AclFile.covers(TopicFilter.of("a/b/c"), TopicFilter.of("a/b")));
        assertFalse(AclFile.covers(TopicFilter.of("a/b"), TopicFilter.of("a/b/c")));
    }

    @Test
    void overlapOfFilters() {
        assertTrue(AclFile.overlap(TopicFilter.of("a/+/c"), TopicFilter.of("a/b/#")));
        assertTrue(AclFile.overlap(TopicFilter.of("a/#"), TopicFilter.of("a")));
        assertFalse(AclFile.overlap(TopicFilter.of("a/b"), TopicFilter.of("a/c")));
        assertFalse(AclFile.overlap(TopicFilter.of("a/b/c"), TopicFilter.of("a/b")));
    }

    @Test
    void aClientIdWithWildcardsGetsNoPatternRule() throws Exception {
        Path file = dir.resolve("feeds-acl");
        Files.writeString(file, "pattern read feeds/%c\n");
        AclFile feeds = AclFile.read(file);
        assertTrue(feeds.allows(new ClientIdentity("a", null), TopicName.of("feeds/a"), Access.READ));
        assertFalse(feeds.allows(new ClientIdentity("#", null), TopicName.of("feeds/other"), Access.READ),
                "feeds/# made of the client id '#' would read every feed");
        assertFalse(feeds.mayRead(new ClientIdentity("+", null), TopicFilter.of("feeds/+")));
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
