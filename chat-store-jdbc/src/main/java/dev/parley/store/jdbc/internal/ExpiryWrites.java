package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.spi.ExpiredMessage;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The writes of message expiry (schema V4), each a {@link WriteOp} for the {@link GroupCommitWriter}. */
public final class ExpiryWrites {
    private ExpiryWrites() {
    }

    public static WriteOp<Void> setExpiry(String conversationId, long seconds) {
        return new WriteOp<>("setExpiry") {
            @Override
            protected Void apply(WriteContext ctx) {
                int changed = ctx.handle().createUpdate("UPDATE conversations SET expiry_seconds = :s WHERE id = :id")
                        .bind("s", seconds)
                        .bind("id", conversationId)
                        .execute();
                if (changed == 0) {
                    throw ChatException.notFound("conversation not found: " + conversationId);
                }
                ctx.expiryChanged(conversationId, seconds);
                return null;
            }
        };
    }

    /**
     * Turns the conversation's due messages into expired tombstones and erases their edit
     * history, reactions and pins, in the batch's transaction. The full-text entry goes with the
     * text (SQLite: the V4 update trigger; PostgreSQL: the search vector is cleared).
     */
    public static WriteOp<List<ExpiredMessage>> expire(String conversationId, Instant now, int max) {
        long at = now.toEpochMilli();
        return new WriteOp<>("expire") {
            @Override
            protected List<ExpiredMessage> apply(WriteContext ctx) {
                Handle h = ctx.handle();
                List<ExpiredMessage> due = h.createQuery("SELECT id, seq FROM messages WHERE conversation_id = :c"
                                + " AND expires_at IS NOT NULL AND expires_at <= :now ORDER BY seq LIMIT :max"
                                // Locked (PostgreSQL): a sweeper of another node waits, then finds
                                // expires_at cleared and skips these rows instead of announcing them twice.
                                + ctx.dialect().lockRows())
                        .bind("c", conversationId)
                        .bind("now", at)
                        .bind("max", max)
                        .map((rs, c) -> new ExpiredMessage(rs.getString(1), rs.getLong(2)))
                        .list();
                if (due.isEmpty()) {
                    return due;
                }
                List<String> ids = due.stream().map(ExpiredMessage::messageId).toList();
                h.createUpdate("UPDATE messages SET body_text = '', reply_to = NULL, edited_at = NULL, deleted = 1,"
                                + " expired = 1, expires_at = NULL, mentions = NULL, attachments = NULL"
                                + Writes.searchVectorCleared(ctx) + " WHERE id IN (<ids>)")
                        .bindList("ids", ids)
                        .execute();
                for (String table : List.of("message_edits", "reactions", "pins", "message_attachments")) {
                    h.createUpdate("DELETE FROM " + table + " WHERE message_id IN (<ids>)").bindList("ids", ids).execute();
                }
                return due;
            }
        };
    }
}
