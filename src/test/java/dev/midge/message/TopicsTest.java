package dev.midge.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names, topic filters and matching (MQTT 3.1.1 section 4.7), without a broker. */
class TopicsTest {

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
        assertEquals(expected, Topics.matches(filter, topic));
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
        assertEquals(expected, Topics.matches(filter, topic));
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
        assertEquals(expected, Topics.matches(filter, topic));
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
        assertEquals(expected, Topics.matches(filter, topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a", "a/b", "a/+", "a/#", "+/+", "+/#", "a/+/b", "/", "//", "/a", "a/",
        "$SYS/#", "a b/c", "\u00fc/\u6c34"})
    void validFilters(String filter) {
        assertTrue(Topics.isValidFilter(filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "a#", "a/b#", "#/a", "##", "a/b+", "a+", "+a", "a/+b/c", "++", "", "a/\u0000"})
    void invalidFilters(String filter) {
        assertFalse(Topics.isValidFilter(filter), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "/a", "a/", "//", "$SYS/x", "a b", "\u00fc/\u6c34"})
    void validTopicNames(String topic) {
        assertTrue(Topics.isValidTopicName(topic), topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "a/+/b", "a+", "a#b", "a\u0000b", "\u0000"})
    void invalidTopicNames(String topic) {
        assertFalse(Topics.isValidTopicName(topic), topic);
    }
}
