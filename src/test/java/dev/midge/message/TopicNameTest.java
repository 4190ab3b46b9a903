package dev.midge.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names: what is one, its levels, its limits. */
class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "/a", "a/", "//", "$SYS/x", "a b", "\u00fc/\u6c34"})
    void validTopicNames(String topic) {
        assertTrue(TopicName.isValid(topic), topic);
        assertEquals(topic, TopicName.of(topic).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "#", "a/+", "a/#", "a/+/b", "a+", "a#b", "a\u0000b", "\u0000"})
    void invalidTopicNames(String topic) {
        assertFalse(TopicName.isValid(topic), topic);
        assertNull(TopicName.parseOrNull(topic, 1_000), topic);
        assertThrows(InvalidTopicException.class, () -> TopicName.of(topic), topic);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/+ | may not contain",
        "a# | may not contain",
        "'' | empty",
        "a\u0000b | U+0000",
    })
    void anInvalidNameSaysWhy(String topic, String reason) {
        String message = assertThrows(InvalidTopicException.class, () -> TopicName.of(topic)).getMessage();
        assertTrue(message.contains(reason) && message.contains("invalid topic name"), message);
    }

    @Test
    void levelsAreSplitOnceKeepingEmptyOnes() {
        TopicName name = TopicName.of("a//b");
        assertEquals(3, name.levelCount());
        assertEquals("a", name.level(0));
        assertEquals("", name.level(1));
        assertEquals("b", name.level(2));
        assertEquals(2, TopicName.of("/a").levelCount());
        assertEquals("", TopicName.of("/a").level(0));
        assertEquals(2, TopicName.of("a/").levelCount());
        assertEquals("", TopicName.of("a/").level(1));
        assertEquals(2, TopicName.of("/").levelCount());
        assertEquals(1, TopicName.of("abc").levelCount());
    }

    @Test
    void levelLimit() {
        assertEquals(3, TopicName.of("a/b/c", 3).levelCount());
        assertNull(TopicName.parseOrNull("a/b/c/d", 3));
        assertTrue(assertThrows(InvalidTopicException.class, () -> TopicName.of("a/b/c/d", 3)).getMessage()
                .contains("more than 3 levels"));
        assertNull(TopicName.parseOrNull("a", 0));
    }

    @Test
    void lengthLimitIs65535() {
        String longest = "x".repeat(65_535);
        assertTrue(TopicName.isValid(longest));
        assertFalse(TopicName.isValid(longest + "x"));
        assertTrue(assertThrows(InvalidTopicException.class, () -> TopicName.of(longest + "x")).getMessage()
                .contains("longer than 65535"));
        assertFalse(TopicName.isValid(null));
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        TopicName sys = TopicName.of("$SYS/broker/uptime");
        assertFalse(sys.wildcardMatchesAt(0));
        assertTrue(sys.wildcardMatchesAt(1));
        assertTrue(TopicName.of("a/$x").wildcardMatchesAt(0));
        assertFalse(TopicFilter.of("#").matches(sys));
        assertFalse(TopicFilter.of("+/broker/uptime").matches(sys));
        assertTrue(TopicFilter.of("$SYS/#").matches(sys));
        assertTrue(TopicFilter.of("$SYS/+/uptime").matches(sys));
    }

    @Test
    void sysTopics() {
        assertTrue(TopicName.of("$SYS/broker/uptime").isSys());
        assertFalse(TopicName.of("$SYS").isSys());
        assertFalse(TopicName.of("$SYSTEM/x").isSys());
        assertFalse(TopicName.of("a/$SYS/x").isSys());
    }

    @Test
    void equalByText() {
        assertEquals(TopicName.of("a/b"), TopicName.of("a/b"));
        assertEquals(TopicName.of("a/b").hashCode(), TopicName.of("a/b").hashCode());
        assertNotEquals(TopicName.of("a/b"), TopicName.of("a/c"));
        assertNotEquals(TopicName.of("a/b"), TopicName.of("a/b/"));
        assertEquals("a/b", TopicName.of("a/b").toString());
    }
}
