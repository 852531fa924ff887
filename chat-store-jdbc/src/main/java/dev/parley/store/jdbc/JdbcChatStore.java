package dev.parley.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.CursorKind;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupSettings;
import dev.parley.core.HistoryPage;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.Role;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.ExpiredMessage;
import dev.parley.core.spi.SearchQuery;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.PinResult;
import dev.parley.core.spi.ReactionResult;
import dev.parley.core.spi.SendContext;
import dev.parley.store.jdbc.internal.AccountReads;
import dev.parley.store.jdbc.internal.AccountWrites;
import dev.parley.store.jdbc.internal.CachingStatementBuilder;
import dev.parley.store.jdbc.internal.ExpiryWrites;
import dev.parley.store.jdbc.internal.GroupAdminSql;
import dev.parley.store.jdbc.internal.GroupCommitWriter;
import dev.parley.store.jdbc.internal.Reads;
import dev.parley.store.jdbc.internal.SearchReads;
import dev.parley.store.jdbc.internal.SqliteSetup;
import dev.parley.store.jdbc.internal.StoreErrors;
import dev.parley.store.jdbc.internal.WriteOp;
import dev.parley.store.jdbc.internal.Writes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link ChatStore} in an SQLite file (WAL mode), the embedded default. It is also the
 * {@link AccountStore} of the same database, so chat users and their credentials live in one
 * file.
 *
 * <pre>{@code
 * try (JdbcChatStore store = JdbcChatStore.builder()
 *         .sqlite(Path.of("data/parley.db"))
 *         .synchronous(Synchronous.FULL)
 *         .build()) {
 *     ChatEngine engine = ChatEngine.builder().store(store).build();
 *     AccountService accounts = new AccountService(engine, store, AccountSettings.defaults(), Clock.systemUTC());
 * }
 * }</pre>
 *
 * <p>Opening creates the file (and its directory) if needed and migrates the schema.
 * Writes go through one writer thread ({@code parley-store-writer}) that group-commits:
 * every write queued while the previous transaction was committing goes into the next one,
 * so many appends share one fsync. {@link #append} callbacks run and futures complete on
 * that thread, in commit order, after the commit; they must be quick. Reads use a small pool
 * of read connections and never wait for the writer.
 *
 * <p>Every failure is a {@link ChatException}: {@code unavailable} when the database fails
 * or the store is closed, {@code conflict} when a write breaks a uniqueness rule (an id
 * used twice), {@code not_found} for an append or member added to an unknown conversation,
 * {@code bad_request} for a malformed cursor or page size. As an {@link AccountStore}:
 * {@code conflict} for a taken username (compared case-insensitively) or a user that already
 * has an account, {@code not_found} for an account of an unknown chat user or an update of an
 * unknown account. Times are kept to the millisecond.
 *
 * @since 0.1.0
 */
public final class JdbcChatStore implements ChatStore, AccountStore {
    private final HikariDataSource readerPool;
    private final Reads reads;
    private final AccountReads accountReads;
    private final SearchReads searchReads;
    private final GroupAdminSql groupAdmin;
    private final GroupCommitWriter writer;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcChatStore(Builder b) {
        Path file = b.sqlite.toAbsolutePath();
        this.clock = b.clock;
        SqliteSetup setup = new SqliteSetup(file, b.synchronous, (int) b.busyTimeout.toMillis());
        HikariDataSource pool = null;
        Handle writeHandle = null;
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            setup.migrate();
            writeHandle = setup.openWriter();
            pool = setup.openReaders(b.readPoolSize, "parley-store-reader");
            this.readerPool = pool;
            Jdbi readers = Jdbi.create(pool);
            CachingStatementBuilder statements = new CachingStatementBuilder();
            readers.setStatementBuilderFactory(connection -> statements);
            this.reads = new Reads(readers);
            this.accountReads = new AccountReads(readers);
            this.searchReads = new SearchReads(readers);
            this.groupAdmin = new GroupAdminSql(readers);
            this.writer = new GroupCommitWriter(writeHandle, b.maxBatch, "parley-store-writer");
        } catch (IOException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (writeHandle != null) {
                writeHandle.close();
            }
            throw ChatException.unavailable("cannot open the chat store at " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the SQLite store at {@code file} with the defaults. */
    public static JdbcChatStore sqlite(Path file) {
        return builder().sqlite(file).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Inserts the user, or replaces the name, avatar and bio of an existing id; the creation time stays. */
    @Override
    public void putUser(User user) {
        Objects.requireNonNull(user, "user");
        await("putUser", Writes.putUser(user));
    }

    @Override
    public Optional<User> findUser(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("findUser", () -> reads.findUser(userId));
    }

    @Override
    public Conversation createConversation(Conversation conversation, List<Member> members) {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(members, "members");
        return await("createConversation", Writes.createConversation(conversation, members));
    }

    @Override
    public Optional<Conversation> findConversation(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return read("findConversation", () -> reads.findConversation(conversationId));
    }

    @Override
    public Optional<Member> findMember(String conversationId, String userId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(userId, "userId");
        return read("findMember", () -> reads.findMember(conversationId, userId));
    }

    @Override
    public Optional<SendContext> sendContext(String conversationId, String senderId) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        return read("sendContext", () -> reads.sendContext(conversationId, senderId));
    }

    @Override
    public List<Member> members(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return read("members", () -> reads.members(conversationId));
    }

    @Override
    public boolean addMember(Member member) {
        Objects.requireNonNull(member, "member");
        return await("addMember", Writes.addMember(member));
    }

    @Override
    public CompletableFuture<AppendResult> append(NewMessage message, Consumer<AppendResult> onCommitted) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(onCommitted, "onCommitted");
        return writer.submit(Writes.append(message, onCommitted));
    }

    @Override
    public HistoryPage history(String conversationId, Long beforeSeq, Long afterSeq, int limit, String viewerId) {
        Objects.requireNonNull(conversationId, "conversationId");
        if (beforeSeq != null && afterSeq != null) {
            throw ChatException.badRequest("give beforeSeq or afterSeq, not both");
        }
        requirePositive("limit", limit);
        return read("history", () -> reads.history(conversationId, beforeSeq, afterSeq, limit, viewerId));
    }

    @Override
    public boolean advanceCursor(String conversationId, String userId, CursorKind kind, long seq) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        return await("advanceCursor", Writes.advanceCursor(conversationId, userId, kind, seq));
    }

    @Override
    public ConversationPage conversationsOf(String userId, int limit, String cursor) {
        Objects.requireNonNull(userId, "userId");
        requirePositive("limit", limit);
        return read("conversationsOf", () -> reads.conversationsOf(userId, limit, cursor));
    }

    // ------------------------------------------------------------------ edits, deletion, reactions, pins

    @Override
    public Optional<Message> findMessage(String messageId, String viewerId) {
        Objects.requireNonNull(messageId, "messageId");
        return read("findMessage", () -> reads.findMessage(messageId, viewerId));
    }

    @Override
    public boolean editMessage(String messageId, MessageBody body, Instant editedAt) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(editedAt, "editedAt");
        return await("editMessage", Writes.editMessage(messageId, body, editedAt));
    }

    @Override
    public List<MessageEdit> edits(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        return read("edits", () -> reads.edits(messageId));
    }

    @Override
    public boolean deleteMessage(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        return await("deleteMessage", Writes.deleteMessage(messageId));
    }

    @Override
    public boolean hideMessage(String userId, String messageId, Instant at) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
        return await("hideMessage", Writes.hideMessage(userId, messageId, at));
    }

    @Override
    public ReactionResult addReaction(String messageId, String userId, String emoji, Instant at, int maxPerUser,
                                      int maxPerMessage) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(emoji, "emoji");
        Objects.requireNonNull(at, "at");
        return await("addReaction", Writes.addReaction(messageId, userId, emoji, at, maxPerUser, maxPerMessage));
    }

    @Override
    public boolean removeReaction(String messageId, String userId, String emoji) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(emoji, "emoji");
        return await("removeReaction", Writes.removeReaction(messageId, userId, emoji));
    }

    @Override
    public PinResult pin(String messageId, String userId, Instant at, int maxPins) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(at, "at");
        return await("pin", Writes.pin(messageId, userId, at, maxPins));
    }

    @Override
    public boolean unpin(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        return await("unpin", Writes.unpin(messageId));
    }

    @Override
    public List<Message> pinned(String conversationId, String viewerId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return read("pinned", () -> reads.pinned(conversationId, viewerId));
    }

    // ------------------------------------------------------------------ search and expiry

    /** FTS5 (bm25 ranking); snippets mark matches with {@code «} and {@code »}. */
    @Override
    public List<SearchHit> search(String viewerId, SearchQuery query) {
        Objects.requireNonNull(viewerId, "viewerId");
        Objects.requireNonNull(query, "query");
        return read("search", () -> searchReads.search(viewerId, query));
    }

    @Override
    public void setExpiry(String conversationId, long seconds) {
        Objects.requireNonNull(conversationId, "conversationId");
        await("setExpiry", ExpiryWrites.setExpiry(conversationId, seconds));
    }

    @Override
    public long expiry(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return read("expiry", () -> searchReads.expiry(conversationId));
    }

    @Override
    public List<String> conversationsWithExpired(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        return read("conversationsWithExpired", () -> searchReads.conversationsWithExpired(now, max));
    }

    @Override
    public List<ExpiredMessage> expire(String conversationId, Instant now, int max) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(now, "now");
        return await("expire", ExpiryWrites.expire(conversationId, now, max));
    }

    @Override
    public Set<String> contactsOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("contactsOf", () -> reads.contactsOf(userId));
    }

    @Override
    public List<User> searchUsers(String query, int limit) {
        Objects.requireNonNull(query, "query");
        requirePositive("limit", limit);
        return read("searchUsers", () -> reads.searchUsers(query, limit));
    }

    @Override
    public Optional<RelationState> relation(String userId, String otherId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(otherId, "otherId");
        return read("relation", () -> reads.relation(userId, otherId));
    }

    @Override
    public void putRelation(String userId, String otherId, RelationState state) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(otherId, "otherId");
        Objects.requireNonNull(state, "state");
        await("putRelation", Writes.putRelation(userId, otherId, state, clock.instant()));
    }

    @Override
    public boolean deleteRelation(String userId, String otherId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(otherId, "otherId");
        return await("deleteRelation", Writes.deleteRelation(userId, otherId));
    }

    @Override
    public List<String> relationsFrom(String userId, RelationState state) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(state, "state");
        return read("relationsFrom", () -> reads.relationsFrom(userId, state));
    }

    @Override
    public List<String> relationsTo(String userId, RelationState state) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(state, "state");
        return read("relationsTo", () -> reads.relationsTo(userId, state));
    }

    @Override
    public PrivacySettings privacy(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("privacy", () -> reads.privacy(userId));
    }

    @Override
    public Set<String> readReceiptsOff(java.util.Collection<String> userIds) {
        Objects.requireNonNull(userIds, "userIds");
        return read("readReceiptsOff", () -> reads.readReceiptsOff(userIds));
    }

    @Override
    public void putPrivacy(String userId, PrivacySettings settings) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(settings, "settings");
        await("putPrivacy", Writes.putPrivacy(userId, settings));
    }

    // ------------------------------------------------------------------ AccountStore

    @Override
    public void createAccount(Account account) {
        Objects.requireNonNull(account, "account");
        await("createAccount", AccountWrites.createAccount(account));
    }

    @Override
    public void updateAccount(Account account) {
        Objects.requireNonNull(account, "account");
        await("updateAccount", AccountWrites.updateAccount(account));
    }

    @Override
    public Optional<Account> accountByUsername(String username) {
        Objects.requireNonNull(username, "username");
        return read("accountByUsername", () -> accountReads.accountByUsername(username));
    }

    @Override
    public Optional<Account> account(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("account", () -> accountReads.account(userId));
    }

    @Override
    public List<Account> accounts(int limit, String afterUserId) {
        requirePositive("limit", limit);
        return read("accounts", () -> accountReads.accounts(limit, afterUserId));
    }

    @Override
    public void deleteAccount(String userId) {
        Objects.requireNonNull(userId, "userId");
        await("deleteAccount", AccountWrites.deleteAccount(userId));
    }

    @Override
    public boolean useTotpStep(String userId, long step) {
        Objects.requireNonNull(userId, "userId");
        return await("useTotpStep", AccountWrites.useTotpStep(userId, step));
    }

    @Override
    public void replaceRecoveryCodes(String userId, List<String> codeHashes) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(codeHashes, "codeHashes");
        await("replaceRecoveryCodes", AccountWrites.replaceRecoveryCodes(userId, codeHashes));
    }

    @Override
    public boolean useRecoveryCode(String userId, String codeHash) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(codeHash, "codeHash");
        return await("useRecoveryCode", AccountWrites.useRecoveryCode(userId, codeHash));
    }

    @Override
    public void createSession(AuthSession session) {
        Objects.requireNonNull(session, "session");
        await("createSession", AccountWrites.createSession(session));
    }

    @Override
    public Optional<AuthSession> sessionByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return read("sessionByTokenHash", () -> accountReads.sessionByTokenHash(tokenHash));
    }

    @Override
    public List<AuthSession> sessions(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("sessions", () -> accountReads.sessions(userId));
    }

    @Override
    public boolean deleteSession(String userId, String sessionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        return await("deleteSession", AccountWrites.deleteSession(userId, sessionId));
    }

    @Override
    public List<String> deleteSessions(String userId) {
        Objects.requireNonNull(userId, "userId");
        return await("deleteSessions", AccountWrites.deleteSessions(userId));
    }

    @Override
    public void touchSession(String sessionId, Instant lastUsedAt) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        await("touchSession", AccountWrites.touchSession(sessionId, lastUsedAt));
    }

    /**
     * Commits every write queued before this call, fails later ones with {@code unavailable},
     * and releases the connections. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            writer.close();
        } finally {
            readerPool.close();
        }
    }

    // ------------------------------------------------------------------ group administration

    @Override
    public boolean setRole(String conversationId, String userId, Role role) {
        Objects.requireNonNull(role, "role");
        return await("setRole", GroupAdminSql.setRole(conversationId, userId, role));
    }

    @Override
    public boolean removeMember(String conversationId, String userId) {
        return await("removeMember", GroupAdminSql.removeMember(conversationId, userId));
    }

    @Override
    public void renameConversation(String conversationId, String name) {
        Objects.requireNonNull(name, "name");
        await("renameConversation", GroupAdminSql.renameConversation(conversationId, name));
    }

    @Override
    public GroupSettings groupSettings(String conversationId) {
        Objects.requireNonNull(conversationId, "conversationId");
        return read("groupSettings", () -> groupAdmin.groupSettings(conversationId));
    }

    @Override
    public void putGroupSettings(String conversationId, GroupSettings settings) {
        Objects.requireNonNull(settings, "settings");
        await("putGroupSettings", GroupAdminSql.putGroupSettings(conversationId, settings));
    }

    @Override
    public void putMute(String conversationId, String userId, Instant until) {
        Objects.requireNonNull(until, "until");
        await("putMute", GroupAdminSql.putMute(conversationId, userId, until));
    }

    @Override
    public boolean deleteMute(String conversationId, String userId) {
        return await("deleteMute", GroupAdminSql.deleteMute(conversationId, userId));
    }

    @Override
    public Optional<Instant> mutedUntil(String conversationId, String userId) {
        return read("mutedUntil", () -> groupAdmin.mutedUntil(conversationId, userId));
    }

    @Override
    public boolean putBan(String conversationId, String userId, Instant at) {
        return await("putBan", GroupAdminSql.putBan(conversationId, userId, at));
    }

    @Override
    public boolean deleteBan(String conversationId, String userId) {
        return await("deleteBan", GroupAdminSql.deleteBan(conversationId, userId));
    }

    @Override
    public boolean banned(String conversationId, String userId) {
        return read("banned", () -> groupAdmin.banned(conversationId, userId));
    }

    @Override
    public void createInvite(GroupInvite invite) {
        Objects.requireNonNull(invite, "invite");
        await("createInvite", GroupAdminSql.createInvite(invite));
    }

    @Override
    public Optional<GroupInvite> findInvite(String code) {
        Objects.requireNonNull(code, "code");
        return read("findInvite", () -> groupAdmin.findInvite(code));
    }

    @Override
    public boolean revokeInvite(String conversationId, String code) {
        return await("revokeInvite", GroupAdminSql.revokeInvite(conversationId, code));
    }

    @Override
    public boolean useInvite(String code, Instant now) {
        return await("useInvite", GroupAdminSql.useInvite(code, now));
    }

    private <T> T read(String action, Supplier<T> query) {
        if (closed.get()) {
            throw StoreErrors.closed();
        }
        try {
            return query.get();
        } catch (RuntimeException e) {
            throw StoreErrors.translate(action, e);
        }
    }

    private <T> T await(String action, WriteOp<T> op) {
        try {
            return writer.submit(op).join();
        } catch (CompletionException | CancellationException e) {
            throw StoreErrors.translate(action, e);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw ChatException.badRequest(name + " must be >= 1: " + value);
        }
    }

    /**
     * Options of a {@link JdbcChatStore}. Each option may be set once; {@link #build()} checks
     * them and names the first invalid one.
     */
    public static final class Builder {
        private Path sqlite;
        private Synchronous synchronous;
        private Integer maxBatch;
        private Integer readPoolSize;
        private Duration busyTimeout;
        private Clock clock;

        private Builder() {
        }

        /** The SQLite database file; created with its directory if missing. Required. */
        public Builder sqlite(Path file) {
            once("sqlite", sqlite);
            this.sqlite = Objects.requireNonNull(file, "sqlite");
            return this;
        }

        /** How commits are synced to disk; default {@link Synchronous#FULL}. */
        public Builder synchronous(Synchronous value) {
            once("synchronous", synchronous);
            this.synchronous = Objects.requireNonNull(value, "synchronous");
            return this;
        }

        /** Most writes committed in one transaction; 1 to 100,000, default 512. */
        public Builder maxBatch(int value) {
            once("maxBatch", maxBatch);
            this.maxBatch = value;
            return this;
        }

        /** Read connections in the pool; 1 to 64, default 4. */
        public Builder readPoolSize(int value) {
            once("readPoolSize", readPoolSize);
            this.readPoolSize = value;
            return this;
        }

        /** How long a connection waits for a lock held by another process; 0 to 1 hour, default 5 s. */
        public Builder busyTimeout(Duration value) {
            once("busyTimeout", busyTimeout);
            this.busyTimeout = Objects.requireNonNull(value, "busyTimeout");
            return this;
        }

        /** Source of the time the store stamps on its own (when a relation changed); default UTC system clock. */
        public Builder clock(Clock value) {
            once("clock", clock);
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Opens the store: creates or migrates the database and starts the writer thread.
         *
         * @throws IllegalStateException    when no database was chosen
         * @throws IllegalArgumentException naming an option whose value is out of range
         * @throws ChatException            {@code unavailable} when the database cannot be opened
         */
        public JdbcChatStore build() {
            if (sqlite == null) {
                throw new IllegalStateException("sqlite(path) must be set");
            }
            if (synchronous == null) {
                synchronous = Synchronous.FULL;
            }
            if (maxBatch == null) {
                maxBatch = 512;
            }
            if (readPoolSize == null) {
                readPoolSize = 4;
            }
            if (busyTimeout == null) {
                busyTimeout = Duration.ofSeconds(5);
            }
            if (clock == null) {
                clock = Clock.systemUTC();
            }
            if (maxBatch < 1 || maxBatch > 100_000) {
                throw new IllegalArgumentException("maxBatch must be 1 to 100000: " + maxBatch);
            }
            if (readPoolSize < 1 || readPoolSize > 64) {
                throw new IllegalArgumentException("readPoolSize must be 1 to 64: " + readPoolSize);
            }
            if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("busyTimeout must be 0 to 1 hour: " + busyTimeout);
            }
            return new JdbcChatStore(this);
        }

        private static void once(String option, Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
