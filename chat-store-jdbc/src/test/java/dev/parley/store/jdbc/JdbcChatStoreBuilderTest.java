package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcChatStoreBuilderTest {
    @TempDir
    Path dir;

    @Test
    void buildWithoutADatabaseFailsNamingIt() {
        assertThatThrownBy(() -> JdbcChatStore.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sqlite").hasMessageContaining("postgres");
    }

    @Test
    void buildNamesTheOptionThatIsOutOfRange() {
        Path file = dir.resolve("chat.db");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).maxBatch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).readPoolSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readPoolSize");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).busyTimeout(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
        assertThat(Files.exists(file)).as("nothing opened").isFalse();
    }

    @Test
    void rangeLimitsAreInclusiveAndOneStepPastThemIsRefused() {
        Path file = dir.resolve("chat.db");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).maxBatch(100_001).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).readPoolSize(65).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readPoolSize");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).busyTimeout(Duration.ofHours(1).plusNanos(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyTimeout");
        assertThat(Files.exists(file)).as("nothing opened").isFalse();
        try (JdbcChatStore low = JdbcChatStore.builder().sqlite(dir.resolve("low.db"))
                .maxBatch(1).readPoolSize(1).busyTimeout(Duration.ZERO).build();
             JdbcChatStore high = JdbcChatStore.builder().sqlite(dir.resolve("high.db"))
                .maxBatch(100_000).readPoolSize(64).busyTimeout(Duration.ofHours(1)).build()) {
            assertThat(Files.exists(dir.resolve("low.db"))).isTrue();
            assertThat(Files.exists(dir.resolve("high.db"))).isTrue();
        }
    }

    @Test
    void buildWithTwoDatabasesOrOptionsOfTheOtherFails() {
        Path file = dir.resolve("chat.db");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).postgres("jdbc:postgresql://127.0.0.1/x").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("choose one");
        assertThatThrownBy(() -> JdbcChatStore.builder().sqlite(file).schema("parley").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> JdbcChatStore.builder().postgres(new org.postgresql.ds.PGSimpleDataSource())
                .postgresUser("u").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("postgresUser");
        assertThat(Files.exists(file)).as("nothing opened").isFalse();
    }

    @Test
    void postgresOptionsAreCheckedBeforeConnecting() {
        assertThatThrownBy(() -> JdbcChatStore.builder().postgres("jdbc:mysql://127.0.0.1/x?password=secret").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres")
                .hasMessageNotContaining("secret");
        for (String bad : List.of("Parley", "1abc", "a-b", "a\"b", "", "x".repeat(64))) {
            assertThatThrownBy(() -> JdbcChatStore.builder().postgres("jdbc:postgresql://127.0.0.1/x").schema(bad).build())
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        }
    }

    @Test
    void thePasswordNeverAppearsInMessages() {
        JdbcChatStore.Builder builder = JdbcChatStore.builder().postgresPassword("hunter2");

        assertThatThrownBy(() -> builder.postgresPassword("other"))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> JdbcChatStore.builder().postgres("jdbc:postgresql://127.0.0.1:1/x?password=hunter2")
                .busyTimeout(Duration.ofMillis(100)).build())
                .isInstanceOf(ChatException.class)
                .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("hunter2");
    }

    @Test
    void settingAnOptionTwiceFails() {
        JdbcChatStore.Builder builder = JdbcChatStore.builder().maxBatch(10);

        assertThatThrownBy(() -> builder.maxBatch(20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxBatch");
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsUnavailable() throws IOException {
        Path notADatabase = Files.writeString(dir.resolve("garbage.db"), "this is not an SQLite file, ".repeat(100));

        assertThatThrownBy(() -> JdbcChatStore.sqlite(notADatabase))
                .isInstanceOf(ChatException.class)
                .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void builtStoreWorksWithEveryOptionSet() {
        try (JdbcChatStore store = JdbcChatStore.builder()
                .sqlite(dir.resolve("chat.db"))
                .synchronous(Synchronous.NORMAL)
                .maxBatch(64)
                .readPoolSize(2)
                .busyTimeout(Duration.ofSeconds(1))
                .build()) {
            assertThat(store.findUser("alice")).isEmpty();
        }
    }
}
