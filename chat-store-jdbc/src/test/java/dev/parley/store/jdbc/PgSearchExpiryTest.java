package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.SearchQuery;
import dev.parley.tck.SearchExpiryContract;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link SearchExpiryContract} on PostgreSQL, and the search details SQLite shares. */
class PgSearchExpiryTest extends SearchExpiryContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }

    private List<SearchHit> search(String text) {
        return store.search("bob", new SearchQuery(text, null, null, null, null, 20, 0));
    }

    @Test
    void caseAndDiacriticsAreFoldedBothWays() {
        Message cafe = send(group, "alice", "Rendez-vous au Café Noël");

        assertThat(search("cafe noel")).extracting(h -> h.message().id()).containsExactly(cafe.id());
        assertThat(search("CAFÉ")).extracting(h -> h.message().id()).containsExactly(cafe.id());
        assertThat(search("cafe").get(0).snippet()).isEqualTo("Rendez-vous au «Café» Noël");
    }

    @Test
    void aLongTextIsCutToTheWindowWithTheMostMatches() {
        String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
                + " fifteen sixteen seventeen eighteen nineteen twenty needle twentytwo twentythree twentyfour"
                + " twentyfive twentysix twentyseven twentyeight twentynine thirty";
        send(group, "alice", text);

        String snippet = search("needle").get(0).snippet();

        assertThat(snippet).as("16 words, the match in the middle").isEqualTo("…thirteen fourteen fifteen sixteen"
                + " seventeen eighteen nineteen twenty «needle» twentytwo twentythree twentyfour twentyfive twentysix"
                + " twentyseven twentyeight…");
    }

    @Test
    void aShorterTextWithTheWordRanksHigher() {
        Message longer = send(group, "alice", "the harbour is far from the old town and the station and the market");
        Message shorter = send(group, "alice", "harbour");

        assertThat(search("harbour")).extracting(h -> h.message().id()).containsExactly(shorter.id(), longer.id());
    }

    @Test
    void deletionAndExpiryClearTheSearchVector() throws SQLException {
        Message deleted = send(group, "alice", "zebra one");
        Message expiring = send(group, "alice", "zebra two", data.now().plusSeconds(5));

        store.deleteMessage(deleted.id());
        store.expire(group.id(), data.now().plusSeconds(5), 10);

        assertThat(pg.queryLong("SELECT count(*) FROM messages WHERE id IN (?, ?) AND search_vector IS NULL"
                + " AND body_text = ''", deleted.id(), expiring.id())).isEqualTo(2);
        assertThat(pg.queryLong("SELECT count(*) FROM messages WHERE search_vector @@ plainto_tsquery('simple', 'zebra')"))
                .isZero();
    }
}
