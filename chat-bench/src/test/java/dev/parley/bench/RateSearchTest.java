package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    private static List<Integer> tried(RateSearch search, IntPredicate passes) {
        List<Integer> rates = new ArrayList<>();
        for (int rate = search.first(); rate > 0; rate = search.next(rate, passes.test(rate))) {
            rates.add(rate);
        }
        return rates;
    }

    @Test
    void doublesWhilePassingThenBisectsBetweenPassAndFailure() {
        RateSearch search = new RateSearch(1000, 6, 0.15);
        assertEquals(List.of(1000, 2000, 4000, 8000, 6000, 5000), tried(search, r -> r <= 5500));
        assertEquals(5000, search.bestPass());
    }

    @Test
    void halvesWhileNothingHasPassed() {
        RateSearch search = new RateSearch(1000, 4, 0.15);
        assertEquals(List.of(1000, 500, 250, 380), tried(search, r -> r <= 300));
        assertEquals(250, search.bestPass());
    }

    @Test
    void stopsWhenPassAndFailureAreCloseEnough() {
        RateSearch search = new RateSearch(1000, 10, 0.3);
        assertEquals(List.of(1000, 2000, 1500, 1800), tried(search, r -> r <= 1500));
        assertEquals(1500, search.bestPass());
    }

    @Test
    void stopsAtTheLowestRateWhenEvenThatFails() {
        RateSearch search = new RateSearch(2, 10, 0.15);
        assertEquals(List.of(2, 1), tried(search, r -> false));
        assertEquals(0, search.bestPass());
    }

    @Test
    void ratesAreRoundedToTwoSignificantDigits() {
        assertEquals(12, RateSearch.round(12));
        assertEquals(1, RateSearch.round(0));
        assertEquals(130, RateSearch.round(125));
        assertEquals(6700, RateSearch.round(6650));
        assertEquals(15000, RateSearch.round(14_999));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(0, 4, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateSearch(10, 4, Double.NaN));
    }
}
