package org.cdln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw ids ↔ dense indices. */
class IdMappingTest {
    @Test
    void integerIdsSortNumericallyOthersLexicographically() {
        assertEquals(List.of("2", "10", "100"), IdMapping.sorted(List.of("100", "2", "10", "2")).ids());
        assertEquals(List.of("10", "2", "a"), IdMapping.sorted(List.of("a", "2", "10")).ids());
        assertEquals(List.of("-3", "0", "7"), IdMapping.sorted(List.of("7", "-3", "0")).ids());
    }

    @Test
    void lookUpsBothWaysAndUnknownIdsGiveMinusOne() {
        IdMapping m = IdMapping.of(List.of("x", "y"));
        assertEquals(1, m.indexOf("y"));
        assertEquals("x", m.id(0));
        assertEquals(-1, m.indexOf("z"));
    }

    @Test
    void unionKeepsEveryIdOnce() {
        IdMapping u = IdMapping.union(IdMapping.of(List.of("3", "1")), IdMapping.of(List.of("2", "3")));
        assertEquals(List.of("1", "2", "3"), u.ids());
    }

    @Test
    void repeatedIdsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdMapping.of(List.of("a", "a")));
        assertEquals("id 'a' appears twice; ids must be distinct", e.getMessage());
    }
}
