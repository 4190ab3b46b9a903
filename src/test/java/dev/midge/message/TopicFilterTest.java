package dev.midge.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic filters, shared ones, and matching topic names (MQTT 3.1.1 section 4.7, MQTT 5 4.8.2). */
class TopicFilterTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b, a/b, true",
        "a/b, a/c, false",
        "a/b, a/b/c, false",
        "a/b/c, a/b, false",
        "a/b, A/b, false",
        "/a, /a, true",
        "/a, a, false",
        "a/, a/, true",
        "a/, a, false",
        "a//b, a//b, true",
    })
    void namesWithoutWildcardsMatchExactly(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.of(filter).matches(TopicName.of(topic)));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/+, a/b, true",
        "a/+, a/, true",
        "+/+, /, true",
        "+, a, true",
        "+/a, /a, true",
        "a/+/c, a/b/c, true",
        "a/+/c, a//c, true",
        "a/+/c, a/b/d, false",
        "a/+, a, false",
        "+, /, false",
        "+, a/b, false",
        "a/+, a/b/c, false",
        "+/+, a, false",
    })
    void plusMatchesExactlyOneLevelIncludingAnEmptyOne(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.of(filter).matches(TopicName.of(topic)));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/#, a, true",
        "a/#, a/, true",
        "a/#, a/b, true",
        "a/#, a/b/c, true",
        "a/b/#, a, false",
        "a/#, ab, false",
        "a/#, b/a, false",
        "a/+/#, a/b, true",
        "a/+/#, a, false",
        "#, a, true",
        "#, a/b/c, true",
        "#, /, true",
        "#, /a, true",
    })
    void hashMatchesTheParentAndEveryLevelBelow(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.of(filter).matches(TopicName.of(topic)));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "#, $SYS/x, false",
        "#, $SYS, false",
        "+/x, $SYS/x, false",
        "+/x, $foo/x, false",
        "+/#, $foo/x, false",
        "+, $foo, false",
        "$SYS/#, $SYS/x, true",
        "$SYS/#, $SYS, true",
        "$SYS/+, $SYS/uptime, true",
        "$foo/#, $foo/x, true",
        "$foo/+, $foo/x, true",
        "$SYS/#, $foo/x, false",
        "a/$x, a/$x, true",
        "a/+, a/$x, true",
        "a/#, a/$x, true",
    })
    void wildcardsAtTheFirstLevelDoNotMatchDollarTopics(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilter.of(filter).matches(TopicName.of(topic)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a", "a/b", "a/+", "a/#", "+/+", "+/#", "a/+/b", "/", "//", "/a", "a/",
        "$SYS/#", "a b/c", "\u00fc/\u6c34"})
    void validFilters(String filter) {
        assertEquals(filter, TopicFilter.of(filter).text());
        assertNotNull(TopicFilter.parseOrNull(filter, 1_000), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "a#", "a/b#", "#/a", "##", "a/b+", "a+", "+a", "a/+b/c", "++", "", "a/\u0000"})
    void invalidFilters(String filter) {
        assertThrows(InvalidTopicException.class, () -> TopicFilter.of(filter), filter);
        assertNull(TopicFilter.parseOrNull(filter, 1_000), filter);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/#/b | must be the whole last level",
        "a+ | must be a whole level",
        "'' | empty",
        "a/\u0000b | U+0000",
    })
    void anInvalidFilterSaysWhy(String filter, String reason) {
        String message = assertThrows(InvalidTopicException.class, () -> TopicFilter.of(filter)).getMessage();
        assertTrue(message.contains(reason) && message.contains("'" + filter + "'"), message);
    }

    @Test
    void emptyLevelsAreLevels() {
        TopicFilter filter = TopicFilter.of("a//b");
        assertEquals(3, filter.levelCount());
        assertEquals("", filter.level(1));
        assertEquals(2, TopicFilter.of("/a").levelCount());
        assertEquals("", TopicFilter.of("/a").level(0));
        assertEquals(2, TopicFilter.of("a/").levelCount());
        assertEquals("", TopicFilter.of("a/").level(1));
        assertFalse(TopicFilter.of("a//b").matches(TopicName.of("a/b")));
        assertTrue(TopicFilter.of("a/+/b").matches(TopicName.of("a//b")));
    }

    @Test
    void aSharedFilterIsTakenApartOnce() {
        TopicFilter shared = TopicFilter.of("$share/group/a/+/c");
        assertTrue(shared.isShared());
        assertEquals("group", shared.shareGroup());
        assertEquals("a/+/c", shared.unshared().text());
        assertFalse(shared.unshared().isShared());
        assertEquals(3, shared.levelCount());
        assertEquals("+", shared.level(1));
        assertTrue(shared.matches(TopicName.of("a/b/c")), "matches as its inner filter");
        assertFalse(shared.matches(TopicName.of("$share/group/a/b/c")));
        TopicFilter plain = TopicFilter.of("a/b");
        assertFalse(plain.isShared());
        assertNull(plain.shareGroup());
        assertSame(plain, plain.unshared());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/group", "$share/", "$share//a", "$share/g+/a", "$share/g#/a", "$share/+/a",
        "$share/#/a", "$share/g/", "$share/g/a/#/b", "$share/g/a+"})
    void invalidSharedFilters(String filter) {
        assertNull(TopicFilter.parseOrNull(filter, 1_000), filter);
        assertTrue(TopicFilter.looksShared(filter));
        assertThrows(InvalidTopicException.class, () -> TopicFilter.of(filter), filter);
    }

    @Test
    void sharedFilterReasons() {
        assertTrue(assertThrows(InvalidTopicException.class, () -> TopicFilter.of("$share/g")).getMessage()
                .contains("needs a filter after its group"));
        assertTrue(assertThrows(InvalidTopicException.class, () -> TopicFilter.of("$share/g+/a")).getMessage()
                .contains("group may not contain"));
    }

    @Test
    void textsThatAreNotSharedFilters() {
        assertFalse(TopicFilter.of("$share").isShared());
        assertFalse(TopicFilter.of("$shared/g/a").isShared());
        assertFalse(TopicFilter.of("a/$share/g/b").isShared());
    }

    @Test
    void levelLimitCountsTheTextAsWritten() {
        assertNotNull(TopicFilter.parseOrNull("a/b/c", 3));
        assertNull(TopicFilter.parseOrNull("a/b/c/d", 3));
        assertNotNull(TopicFilter.parseOrNull("$share/g/a", 3));
        assertNull(TopicFilter.parseOrNull("$share/g/a/b", 3));
        assertNull(TopicFilter.parseOrNull("$share/g/a", 2));
        assertTrue(assertThrows(InvalidTopicException.class, () -> TopicFilter.of("a/b/c", 2)).getMessage()
                .contains("more than 2 levels"));
    }

    @Test
    void lengthLimitIs65535() {
        String longest = "a/" + "b".repeat(65_533);
        assertEquals(65_535, TopicFilter.of(longest).text().length());
        assertThrows(InvalidTopicException.class, () -> TopicFilter.of(longest + "b"));
        assertThrows(InvalidTopicException.class, () -> TopicFilter.of(null));
    }

    @Test
    void equalByText() {
        assertEquals(TopicFilter.of("a/+"), TopicFilter.of("a/+"));
        assertEquals(TopicFilter.of("a/+").hashCode(), TopicFilter.of("a/+").hashCode());
        assertEquals(TopicFilter.of("$share/g/a"), TopicFilter.of("$share/g/a"));
        assertNotEquals(TopicFilter.of("$share/g/a"), TopicFilter.of("a"));
        assertNotEquals(TopicFilter.of("$share/g/a"), TopicFilter.of("$share/h/a"));
        assertNotEquals(TopicFilter.of("a"), TopicName.of("a"));
        assertEquals("a/#", TopicFilter.of("a/#").toString());
    }

    @Test
    void wildcards() {
        assertTrue(TopicFilter.of("a/+").hasWildcards());
        assertTrue(TopicFilter.of("#").hasWildcards());
        assertFalse(TopicFilter.of("a/b").hasWildcards());
        assertFalse(TopicFilter.of("$share/g/a").hasWildcards());
    }
}
