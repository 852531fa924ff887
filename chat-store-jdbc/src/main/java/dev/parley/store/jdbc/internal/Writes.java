package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.CursorKind;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.User;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.PinResult;
import dev.parley.core.spi.ReactionResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/** The store's writes, each a {@link WriteOp} for the {@link GroupCommitWriter}. */
public final class Writes {
    private Writes() {
    }

    public static WriteOp<Void> putUser(User user) {
        return new WriteOp<>("putUser") {
            @Override
            protected Void apply(WriteContext ctx) {
                // created_at is kept: it is when the user was first stored.
                ctx.handle().createUpdate("INSERT INTO users (id, name, name_fold, created_at, avatar, bio)"
                                + " VALUES (:id, :name, :nameFold, :createdAt, :avatar, :bio)"
                                + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold,"
                                + " avatar = excluded.avatar, bio = excluded.bio")
                        .bind("id", user.id())
                        .bind("name", user.name())
                        .bind("nameFold", Rows.fold(user.name()))
                        .bind("createdAt", user.createdAt().toEpochMilli())
                        .bind("avatar", user.avatar())
                        .bind("bio", user.bio())
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Void> putRelation(String userId, String otherId, RelationState state, Instant now) {
        return new WriteOp<>("putRelation") {
            @Override
            protected Void apply(WriteContext ctx) {
                ctx.handle().createUpdate("INSERT INTO relations (user_id, other_id, state, updated_at)"
                                + " VALUES (:u, :o, :state, :now)"
                                + " ON CONFLICT (user_id, other_id) DO UPDATE SET state = excluded.state,"
                                + " updated_at = excluded.updated_at")
                        .bind("u", userId)
                        .bind("o", otherId)
                        .bind("state", Rows.wire(state))
                        .bind("now", now.toEpochMilli())
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Boolean> deleteRelation(String userId, String otherId) {
        return new WriteOp<>("deleteRelation") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM relations WHERE user_id = :u AND other_id = :o")
                        .bind("u", userId)
                        .bind("o", otherId)
                        .execute() > 0;
            }
        };
    }

    public static WriteOp<Void> putPrivacy(String userId, PrivacySettings settings) {
        return new WriteOp<>("putPrivacy") {
            @Override
            protected Void apply(WriteContext ctx) {
                ctx.handle().createUpdate("INSERT INTO privacy (user_id, direct_messages, last_seen, presence,"
                                + " read_receipts) VALUES (:u, :dm, :lastSeen, :presence, :receipts)"
                                + " ON CONFLICT (user_id) DO UPDATE SET direct_messages = excluded.direct_messages,"
                                + " last_seen = excluded.last_seen, presence = excluded.presence,"
                                + " read_receipts = excluded.read_receipts")
                        .bind("u", userId)
                        .bind("dm", settings.directMessages().wire())
                        .bind("lastSeen", settings.lastSeen().wire())
                        .bind("presence", settings.presence().wire())
                        .bind("receipts", settings.readReceipts() ? 1 : 0)
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Conversation> createConversation(Conversation conversation, List<Member> members) {
        for (Member m : members) {
            if (!m.conversationId().equals(conversation.id())) {
                throw ChatException.badRequest("member " + m.userId() + " belongs to conversation "
                        + m.conversationId() + ", not " + conversation.id());
            }
        }
        Conversation stored = new Conversation(conversation.id(), conversation.kind(), conversation.name(),
                conversation.directKey(), conversation.createdBy(), Rows.millis(conversation.createdAt()), 0);
        List<Member> storedMembers = List.copyOf(members);
        return new WriteOp<>("createConversation") {
            @Override
            protected Conversation apply(WriteContext ctx) throws java.sql.SQLException {
                // Answers for an existing direct conversation must include this batch's appends.
                ctx.flushConversations();
                Handle h = ctx.handle();
                if (stored.directKey() != null) {
                    Optional<Conversation> existing = h.createQuery("SELECT " + Rows.CONVERSATION_COLUMNS
                                    + " FROM conversations WHERE direct_key = :key")
                            .bind("key", stored.directKey())
                            .map((rs, c) -> Rows.conversation(rs))
                            .findOne();
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                }
                long createdAt = stored.createdAt().toEpochMilli();
                boolean fromSequence = ctx.dialect().activityFromSequence();
                // A writer of another node may create the same direct pair at the same moment:
                // its row wins, this insert does nothing and the existing one is returned.
                Update insert = h.createUpdate("INSERT INTO conversations (id, kind, name, direct_key, created_by,"
                                + " created_at, last_seq, last_activity, activity_seq) VALUES (:id, :kind, :name,"
                                + " :directKey, :createdBy, :createdAt, 0, :createdAt, "
                                + (fromSequence ? "nextval('conversation_activity')" : ":activity") + ")"
                                + " ON CONFLICT (direct_key) DO NOTHING")
                        .bind("id", stored.id())
                        .bind("kind", stored.kind().wire())
                        .bind("name", stored.name())
                        .bind("directKey", stored.directKey())
                        .bind("createdBy", stored.createdBy())
                        .bind("createdAt", createdAt);
                if (!fromSequence) {
                    insert.bind("activity", ctx.nextActivity());
                }
                if (insert.execute() == 0) {
                    return h.createQuery("SELECT " + Rows.CONVERSATION_COLUMNS
                                    + " FROM conversations WHERE direct_key = :key")
                            .bind("key", stored.directKey())
                            .map((rs, c) -> Rows.conversation(rs))
                            .one();
                }
                if (!storedMembers.isEmpty()) {
                    PreparedBatch batch = h.prepareBatch("INSERT INTO members (conversation_id, user_id, role, joined_at,"
                            + " delivered_seq, read_seq) VALUES (:c, :u, :role, :joinedAt, :delivered, :read)");
                    for (Member m : storedMembers) {
                        batch.bind("c", m.conversationId())
                                .bind("u", m.userId())
                                .bind("role", m.role().wire())
                                .bind("joinedAt", m.joinedAt().toEpochMilli())
                                .bind("delivered", m.deliveredSeq())
                                .bind("read", m.readSeq())
                                .add();
                    }
                    batch.execute();
                }
                return stored;
            }
        };
    }

    public static WriteOp<Boolean> addMember(Member member) {
        return new WriteOp<>("addMember") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                boolean exists = h.createQuery("SELECT 1 FROM conversations WHERE id = :id")
                        .bind("id", member.conversationId())
                        .mapTo(Integer.class)
                        .findOne()
                        .isPresent();
                if (!exists) {
                    throw ChatException.notFound("conversation not found: " + member.conversationId());
                }
                return h.createUpdate("INSERT INTO members (conversation_id, user_id, role, joined_at, delivered_seq,"
                                + " read_seq) VALUES (:c, :u, :role, :joinedAt, :delivered, :read)"
                                + " ON CONFLICT (conversation_id, user_id) DO NOTHING")
                        .bind("c", member.conversationId())
                        .bind("u", member.userId())
                        .bind("role", member.role().wire())
                        .bind("joinedAt", member.joinedAt().toEpochMilli())
                        .bind("delivered", member.deliveredSeq())
                        .bind("read", member.readSeq())
                        .execute() == 1;
            }
        };
    }

    public static WriteOp<Boolean> advanceCursor(String conversationId, String userId, CursorKind kind, long seq) {
        // Forward-only by the WHERE clause; reading implies delivery.
        String sql = switch (kind) {
            case READ -> "UPDATE members SET read_seq = :seq,"
                    + " delivered_seq = CASE WHEN delivered_seq > :seq THEN delivered_seq ELSE :seq END"
                    + " WHERE conversation_id = :c AND user_id = :u AND read_seq < :seq";
            case DELIVERED -> "UPDATE members SET delivered_seq = :seq"
                    + " WHERE conversation_id = :c AND user_id = :u AND delivered_seq < :seq";
        };
        return new WriteOp<>("advanceCursor") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate(sql)
                        .bind("seq", seq)
                        .bind("c", conversationId)
                        .bind("u", userId)
                        .execute() > 0;
            }
        };
    }

    public static WriteOp<AppendResult> append(NewMessage m, Consumer<AppendResult> onCommitted) {
        return new WriteOp<>("append") {
            @Override
            protected void committed(AppendResult result) {
                onCommitted.accept(result);
            }

            @Override
            protected String appendsTo() {
                return m.conversationId();
            }

            @Override
            protected AppendResult apply(WriteContext ctx) throws java.sql.SQLException {
                long seq = ctx.lastSeq(m.conversationId()) + 1;
                // Checked before anything is written: a failing op must leave the batch untouched.
                Message root = m.threadRootId() == null ? null : ctx.threadRoot(m.conversationId(), m.threadRootId());
                Message message = m.toMessage(seq, Rows.millis(m.createdAt()));
                if (!ctx.insertMessage(message, m.expiresAt() == null ? null : m.expiresAt().toEpochMilli())) {
                    // Stored before, maybe earlier in this very batch: the same transaction sees it.
                    Message original = ctx.findByClientKey(m.conversationId(), m.senderId(), m.clientMsgId())
                            .orElseThrow(() -> new IllegalStateException("insert ignored but no message for "
                                    + m.conversationId() + '/' + m.senderId() + '/' + m.clientMsgId()));
                    return new AppendResult(original, true);
                }
                if (root != null) {
                    root = ctx.addThreadReply(root, m.senderId(), seq, message.createdAt());
                }
                ctx.messageAppended(m.conversationId(), seq, message.createdAt().toEpochMilli());
                return new AppendResult(message, false, root);
            }
        };
    }

    /** Moves a thread read cursor forward; true when it moved. */
    public static WriteOp<Boolean> advanceThreadRead(String rootId, String userId, long seq) {
        return new WriteOp<>("advanceThreadRead") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("INSERT INTO thread_reads (root_id, user_id, read_seq)"
                                + " VALUES (:r, :u, :seq) ON CONFLICT (root_id, user_id)"
                                + " DO UPDATE SET read_seq = excluded.read_seq WHERE excluded.read_seq > thread_reads.read_seq")
                        .bind("r", rootId)
                        .bind("u", userId)
                        .bind("seq", seq)
                        .execute() > 0;
            }
        };
    }

    /** Keeps the current text in the edit history and replaces it, in the batch's transaction. */
    public static WriteOp<Boolean> editMessage(String messageId, MessageBody body, Instant editedAt) {
        long at = editedAt.toEpochMilli();
        return new WriteOp<>("editMessage") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                Optional<String> current = h.createQuery("SELECT body_text FROM messages WHERE id = :id AND deleted = 0"
                                + ctx.dialect().lockRows())
                        .bind("id", messageId)
                        .mapTo(String.class)
                        .findOne();
                if (current.isEmpty()) {
                    return false;
                }
                h.createUpdate("INSERT INTO message_edits (message_id, version, body_text, edited_at)"
                                + " SELECT :id, coalesce(max(version), 0) + 1, :old, :at FROM message_edits"
                                + " WHERE message_id = :id")
                        .bind("id", messageId)
                        .bind("old", current.get())
                        .bind("at", at)
                        .execute();
                boolean vector = ctx.dialect().storeWritesSearchVector();
                Update update = h.createUpdate("UPDATE messages SET body_text = :body, edited_at = :at"
                                + (vector ? ", search_vector = to_tsvector('simple', :document)" : "") + " WHERE id = :id")
                        .bind("body", body.text())
                        .bind("at", at)
                        .bind("id", messageId);
                if (vector) {
                    update.bind("document", SearchText.document(body.text()));
                }
                update.execute();
                return true;
            }
        };
    }

    /** Turns a message into a tombstone and erases its edit history, reactions and pin, in one transaction. */
    public static WriteOp<Boolean> deleteMessage(String messageId) {
        return new WriteOp<>("deleteMessage") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                int changed = h.createUpdate("UPDATE messages SET body_text = '', edited_at = NULL, deleted = 1,"
                                + " mentions = NULL, attachments = NULL" + searchVectorCleared(ctx)
                                + " WHERE id = :id AND deleted = 0")
                        .bind("id", messageId)
                        .execute();
                if (changed == 0) {
                    return false;
                }
                for (String table : List.of("message_edits", "reactions", "pins", "message_mentions",
                        "message_attachments")) {
                    h.createUpdate("DELETE FROM " + table + " WHERE message_id = :id").bind("id", messageId).execute();
                }
                return true;
            }
        };
    }

    public static WriteOp<Boolean> hideMessage(String userId, String messageId, Instant at) {
        return new WriteOp<>("hideMessage") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("INSERT INTO hidden_messages (user_id, message_id, hidden_at)"
                                + " VALUES (:u, :m, :at) ON CONFLICT (user_id, message_id) DO NOTHING")
                        .bind("u", userId)
                        .bind("m", messageId)
                        .bind("at", at.toEpochMilli())
                        .execute() == 1;
            }
        };
    }

    /** Checks the message and both limits and inserts, in the batch's transaction: concurrent adds cannot pass a limit. */
    public static WriteOp<ReactionResult> addReaction(String messageId, String userId, String emoji, Instant at,
                                                      int maxPerUser, int maxPerMessage) {
        return new WriteOp<>("addReaction") {
            @Override
            protected ReactionResult apply(WriteContext ctx) {
                Handle h = ctx.handle();
                // Locked (PostgreSQL): adds of other nodes to this message wait, so limits hold.
                boolean live = h.createQuery("SELECT 1 FROM messages WHERE id = :id AND deleted = 0"
                                + ctx.dialect().lockRows())
                        .bind("id", messageId).mapTo(Integer.class).findOne().isPresent();
                if (!live) {
                    return ReactionResult.MESSAGE_DELETED;
                }
                boolean exists = h.createQuery("SELECT 1 FROM reactions WHERE message_id = :m AND emoji = :e"
                                + " AND user_id = :u")
                        .bind("m", messageId).bind("e", emoji).bind("u", userId)
                        .mapTo(Integer.class).findOne().isPresent();
                if (exists) {
                    return ReactionResult.UNCHANGED;
                }
                long mine = h.createQuery("SELECT count(*) FROM reactions WHERE message_id = :m AND user_id = :u")
                        .bind("m", messageId).bind("u", userId).mapTo(Long.class).one();
                if (mine >= maxPerUser) {
                    return ReactionResult.TOO_MANY_FROM_USER;
                }
                boolean emojiUsed = h.createQuery("SELECT 1 FROM reactions WHERE message_id = :m AND emoji = :e LIMIT 1")
                        .bind("m", messageId).bind("e", emoji).mapTo(Integer.class).findOne().isPresent();
                if (!emojiUsed) {
                    long distinct = h.createQuery("SELECT count(DISTINCT emoji) FROM reactions WHERE message_id = :m")
                            .bind("m", messageId).mapTo(Long.class).one();
                    if (distinct >= maxPerMessage) {
                        return ReactionResult.TOO_MANY_EMOJI;
                    }
                }
                h.createUpdate("INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (:m, :e, :u, :at)")
                        .bind("m", messageId).bind("e", emoji).bind("u", userId).bind("at", at.toEpochMilli())
                        .execute();
                return ReactionResult.ADDED;
            }
        };
    }

    public static WriteOp<Boolean> removeReaction(String messageId, String userId, String emoji) {
        return new WriteOp<>("removeReaction") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM reactions WHERE message_id = :m AND emoji = :e"
                                + " AND user_id = :u")
                        .bind("m", messageId).bind("e", emoji).bind("u", userId)
                        .execute() > 0;
            }
        };
    }

    /** Checks the message and the limit and inserts, in the batch's transaction. */
    public static WriteOp<PinResult> pin(String messageId, String userId, Instant at, int maxPins) {
        return new WriteOp<>("pin") {
            @Override
            protected PinResult apply(WriteContext ctx) {
                Handle h = ctx.handle();
                Optional<String> conversationId = h.createQuery("SELECT conversation_id FROM messages"
                                + " WHERE id = :id AND deleted = 0" + ctx.dialect().lockRows())
                        .bind("id", messageId).mapTo(String.class).findOne();
                if (conversationId.isEmpty()) {
                    return PinResult.MESSAGE_DELETED;
                }
                // Pins of other nodes in this conversation wait, so the limit holds.
                ctx.lockConversation(conversationId.get());
                boolean pinned = h.createQuery("SELECT 1 FROM pins WHERE message_id = :id")
                        .bind("id", messageId).mapTo(Integer.class).findOne().isPresent();
                if (pinned) {
                    return PinResult.UNCHANGED;
                }
                long count = h.createQuery("SELECT count(*) FROM pins WHERE conversation_id = :c")
                        .bind("c", conversationId.get()).mapTo(Long.class).one();
                if (count >= maxPins) {
                    return PinResult.TOO_MANY_PINS;
                }
                h.createUpdate("INSERT INTO pins (message_id, conversation_id, pinned_by, pinned_at)"
                                + " VALUES (:id, :c, :u, :at)")
                        .bind("id", messageId).bind("c", conversationId.get()).bind("u", userId)
                        .bind("at", at.toEpochMilli())
                        .execute();
                return PinResult.PINNED;
            }
        };
    }

    /** {@code , search_vector = NULL} where the store keeps the search column itself. */
    static String searchVectorCleared(WriteContext ctx) {
        return ctx.dialect().storeWritesSearchVector() ? ", search_vector = NULL" : "";
    }

    public static WriteOp<Boolean> unpin(String messageId) {
        return new WriteOp<>("unpin") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM pins WHERE message_id = :id")
                        .bind("id", messageId).execute() > 0;
            }
        };
    }
}
