package dev.parley.store.jdbc.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Reads and writes of extension data: named values per conversation and single-use claims. */
public final class ExtensionSql {
    private final Jdbi jdbi;

    public ExtensionSql(Jdbi readers) {
        this.jdbi = readers;
    }

    public Optional<String> conversationExtension(String conversationId, String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM conversation_extensions"
                        + " WHERE conversation_id = :c AND name = :n")
                .bind("c", conversationId).bind("n", name).mapTo(String.class).findOne());
    }

    public Map<String, String> conversationExtensions(String name) {
        return jdbi.withHandle(h -> {
            Map<String, String> out = new LinkedHashMap<>();
            h.createQuery("SELECT conversation_id, value FROM conversation_extensions WHERE name = :n"
                            + " ORDER BY conversation_id")
                    .bind("n", name)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    public static WriteOp<Boolean> putConversationExtension(String conversationId, String name, String value) {
        return update("putConversationExtension", "INSERT INTO conversation_extensions (conversation_id, name, value)"
                + " VALUES (:c, :n, :v) ON CONFLICT (conversation_id, name) DO UPDATE SET value = excluded.value",
                Map.of("c", conversationId, "n", name, "v", value));
    }

    public static WriteOp<Boolean> deleteConversationExtension(String conversationId, String name) {
        return update("deleteConversationExtension", "DELETE FROM conversation_extensions"
                + " WHERE conversation_id = :c AND name = :n", Map.of("c", conversationId, "n", name));
    }

    public static WriteOp<Boolean> claim(String namespace, String key, String claimant, Instant at) {
        return update("claim", "INSERT INTO extension_claims (namespace, claim_key, claimant, claimed_at)"
                        + " VALUES (:ns, :k, :by, :at) ON CONFLICT (namespace, claim_key) DO NOTHING",
                Map.of("ns", namespace, "k", key, "by", claimant, "at", at.toEpochMilli()));
    }

    public static WriteOp<Boolean> releaseClaim(String namespace, String key) {
        return update("releaseClaim", "DELETE FROM extension_claims WHERE namespace = :ns AND claim_key = :k",
                Map.of("ns", namespace, "k", key));
    }

    private static WriteOp<Boolean> update(String action, String sql, Map<String, Object> args) {
        return new WriteOp<>(action) {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate(sql).bindMap(args).execute() > 0;
            }
        };
    }
}
