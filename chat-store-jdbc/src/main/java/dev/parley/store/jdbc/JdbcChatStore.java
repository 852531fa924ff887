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
import dev.parley.core.ThreadView;
import dev.parley.core.Upload;
import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.LinkedIdentity;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.ChatMetrics;
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
import dev.parley.store.jdbc.internal.DatabaseSetup;
import dev.parley.store.jdbc.internal.Dialect;
import dev.parley.store.jdbc.internal.ExpiryWrites;
import dev.parley.store.jdbc.internal.ExtensionSql;
import dev.parley.store.jdbc.internal.GroupAdminSql;
import dev.parley.store.jdbc.internal.GroupCommitWriter;
import dev.parley.store.jdbc.internal.PostgresSetup;
import dev.parley.store.jdbc.internal.Reads;
import dev.parley.store.jdbc.internal.SearchIndexer;
import dev.parley.store.jdbc.internal.SearchReads;
import dev.parley.store.jdbc.internal.SqliteSetup;
import dev.parley.store.jdbc.internal.StoreErrors;
import dev.parley.store.jdbc.internal.UploadSql;
import dev.parley.store.jdbc.internal.WriteOp;
import dev.parley.store.jdbc.internal.Writes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A {@link ChatStore} in an SQLite file (WAL mode), the embedded default, or in a PostgreSQL
 * database, for clustered mode where several nodes share one store. It is also the
 * {@link AccountStore} of the same database, so chat users and their credentials live together.
 *
 * <pre>{@code
 * try (JdbcChatStore store = JdbcChatStore.builder()
 *         .sqlite(Path.of("data/parley.db"))
 *         .synchronous(Synchronous.FULL)
 *         .build()) {
 *     ChatEngine engine = ChatEngine.builder().store(store).build();
 *     AccountService accounts = new AccountService(engine, store, AccountSettings.defaults(), Clock.systemUTC());
 * }
 *
 * JdbcChatStore shared = JdbcChatStore.builder()
 *         .postgres("jdbc:postgresql://db.internal:5432/chat")
 *         .postgresUser("parley")
 *         .postgresPassword(System.getenv("PARLEY_DB_PASSWORD"))
 *         .schema("parley")
 *         .build();
 * }</pre>
 *
 * <p>Opening creates the SQLite file (and its directory), or the PostgreSQL schema, if needed
 * and migrates it. Writes go through one writer thread ({@code parley-store-writer}) that
 * group-commits: every write queued while the previous transaction was committing goes into
 * the next one, so many appends share one fsync. {@link #append} callbacks run and futures
 * complete on that thread, in commit order, after the commit; they must be quick. Reads use a
 * small pool of read connections and never wait for the writer.
 *
 * <p><b>Several stores on one PostgreSQL database</b> (one per node) are safe: each append
 * reads its conversation's last seq with the row locked until its transaction commits, so
 * seqs stay unique and gap-free across nodes; the activity order of conversation lists comes
 * from a database sequence; limits (reactions, pins, invite uses) are checked under row locks;
 * and the store caches no data between transactions (only prepared statements). The engine's
 * own per-node caches are the engine's business (see the design notes).
 *
 * <p><b>Text.</b> PostgreSQL cannot store the character U+0000 in text: with it, a write that
 * contains it fails with {@code bad_request} (an append or edit before it reaches the database)
 * and a lookup by a key containing it fails with {@code bad_request} too. SQLite stores it.
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
    /** A plain unquoted PostgreSQL identifier, lower case: safe to quote as given. */
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** SQLite: how long the writer's queue stays empty before it indexes new messages for search. */
    static final Duration INDEX_IDLE = Duration.ofMillis(50);
    /** SQLite: rows behind at which the index catches up even while appends keep coming. */
    static final long INDEX_URGENT_LAG = 1024;
    /** SQLite: most rows one background indexing transaction takes. */
    static final long INDEX_STEP_ROWS = 4096;

    private final Dialect dialect;
    private final HikariDataSource readerPool;
    private final Reads reads;
    private final AccountReads accountReads;
    private final SearchReads searchReads;
    private final UploadSql uploads;
    private final GroupAdminSql groupAdmin;
    private final ExtensionSql extensions;
    private final GroupCommitWriter writer;
    /** Fills the SQLite full-text index behind the appends; null for PostgreSQL. */
    private final SearchIndexer searchIndexer;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcChatStore(Builder b, DatabaseSetup setup) {
        this.clock = b.clock;
        this.dialect = setup.dialect();
        HikariDataSource pool = null;
        try {
            if (b.sqlite != null) {
                Path dir = b.sqlite.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
            }
            setup.migrate();
            pool = setup.openReaders(b.readPoolSize, "parley-store-reader");
            this.readerPool = pool;
            Jdbi readers = Jdbi.create(pool);
            CachingStatementBuilder statements = new CachingStatementBuilder();
            readers.setStatementBuilderFactory(connection -> statements);
            this.reads = new Reads(readers, dialect);
            this.accountReads = new AccountReads(readers, dialect);
            this.searchReads = new SearchReads(readers, dialect);
            this.uploads = new UploadSql(readers);
            this.groupAdmin = new GroupAdminSql(readers);
            this.extensions = new ExtensionSql(readers);
            this.searchIndexer = dialect.indexesInBackground()
                    ? new SearchIndexer(b.indexIdle, b.indexUrgentLag, INDEX_STEP_ROWS) : null;
            this.writer = new GroupCommitWriter(setup::openWriter, dialect, b.maxBatch, "parley-store-writer",
                    b.metrics, searchIndexer);
        } catch (IOException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw ChatException.unavailable("cannot open the chat store at " + setup.describe() + ": " + e.getMessage(), e);
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
        if (!dialect.storesNul() && message.body().text().indexOf('\u0000') >= 0) {
            // Refused here rather than by the database, so it does not spoil a whole batch.
            return CompletableFuture.failedFuture(ChatException.badRequest("body.text: " + StoreErrors.NUL_MESSAGE));
        }
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

    // ---------------------------------------------------------------- uploads

    @Override
    public void putUpload(Upload upload) {
        Objects.requireNonNull(upload, "upload");
        await("putUpload", UploadSql.putUpload(upload));
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        return read("findUpload", () -> uploads.findUpload(uploadId));
    }

    @Override
    public boolean mayDownload(String userId, String uploadId) {
        Objects.requireNonNull(uploadId, "uploadId");
        return userId != null && read("mayDownload", () -> uploads.mayDownload(userId, uploadId));
    }

    @Override
    public List<GalleryItem> gallery(String conversationId, AttachmentKind kind, Long beforeSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(kind, "kind");
        requirePositive("limit", limit);
        return read("gallery", () -> uploads.gallery(conversationId, kind, beforeSeq, limit));
    }

    @Override
    public List<LinkItem> links(String conversationId, Long beforeSeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        requirePositive("limit", limit);
        return read("links", () -> uploads.links(conversationId, beforeSeq, limit));
    }

    @Override
    public List<Upload> releasableUploads(Instant unattachedBefore, int max) {
        Objects.requireNonNull(unattachedBefore, "unattachedBefore");
        requirePositive("max", max);
        return read("releasableUploads", () -> uploads.releasable(unattachedBefore, max));
    }

    @Override
    public void deleteUploads(java.util.Collection<String> uploadIds) {
        Objects.requireNonNull(uploadIds, "uploadIds");
        await("deleteUploads", UploadSql.deleteUploads(uploadIds));
    }

    @Override
    public boolean blobReferenced(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        return read("blobReferenced", () -> uploads.blobReferenced(sha256));
    }

    // ---------------------------------------------------------------- threads

    @Override
    public HistoryPage threadHistory(String rootId, Long beforeSeq, Long afterSeq, int limit, String viewerId) {
        Objects.requireNonNull(rootId, "rootId");
        if (beforeSeq != null && afterSeq != null) {
            throw ChatException.badRequest("give beforeSeq or afterSeq, not both");
        }
        requirePositive("limit", limit);
        return read("threadHistory", () -> reads.threadHistory(rootId, beforeSeq, afterSeq, limit, viewerId));
    }

    @Override
    public Optional<ThreadView> thread(String rootId, String viewerId) {
        Objects.requireNonNull(rootId, "rootId");
        return read("thread", () -> reads.thread(rootId, viewerId));
    }

    @Override
    public List<ThreadView> threads(String conversationId, String viewerId, Long beforeLastReplySeq, int limit) {
        Objects.requireNonNull(conversationId, "conversationId");
        requirePositive("limit", limit);
        return read("threads", () -> reads.threads(conversationId, viewerId, beforeLastReplySeq, limit));
    }

    @Override
    public boolean advanceThreadRead(String rootId, String userId, long seq) {
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(userId, "userId");
        return await("advanceThreadRead", Writes.advanceThreadRead(rootId, userId, seq));
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
        if (!dialect.storesNul() && body.text().indexOf('\u0000') >= 0) {
            throw ChatException.badRequest("body.text: " + StoreErrors.NUL_MESSAGE);
        }
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

    /**
     * Whole words, case and diacritics folded, every word required. SQLite: FTS5 with bm25
     * ranking; PostgreSQL: a {@code tsvector} (configuration {@code simple}) with {@code ts_rank}.
     * Snippets mark matches with {@code «} and {@code »}; ranks compare within one result list.
     *
     * <p>Every message whose append completed before the call is searchable. SQLite indexes new
     * messages shortly after their commit; when some are not indexed yet, the search first waits
     * for the writer to index them (queued behind the writes already waiting).
     */
    @Override
    public List<SearchHit> search(String viewerId, SearchQuery query) {
        Objects.requireNonNull(viewerId, "viewerId");
        Objects.requireNonNull(query, "query");
        if (searchIndexer != null && searchIndexer.behind() && !closed.get()) {
            await("search", searchIndexer.catchUp());
        }
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

    @Override
    public void linkIdentity(LinkedIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        await("linkIdentity", AccountWrites.linkIdentity(identity));
    }

    @Override
    public Optional<LinkedIdentity> identity(String kind, String subject) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        return read("identity", () -> accountReads.identity(kind, subject));
    }

    @Override
    public List<LinkedIdentity> identities(String userId) {
        Objects.requireNonNull(userId, "userId");
        return read("identities", () -> accountReads.identities(userId));
    }

    @Override
    public boolean unlinkIdentity(String userId, String kind, String subject) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        return await("unlinkIdentity", AccountWrites.unlinkIdentity(userId, kind, subject));
    }

    @Override
    public boolean createNonce(String nonceHash, Instant expiresAt, Instant now, int maxOutstanding) {
        Objects.requireNonNull(nonceHash, "nonceHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(now, "now");
        requirePositive("maxOutstanding", maxOutstanding);
        return await("createNonce", AccountWrites.createNonce(nonceHash, expiresAt, now, maxOutstanding));
    }

    @Override
    public boolean consumeNonce(String nonceHash, Instant now) {
        Objects.requireNonNull(nonceHash, "nonceHash");
        Objects.requireNonNull(now, "now");
        return await("consumeNonce", AccountWrites.consumeNonce(nonceHash, now));
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

    // ------------------------------------------------------------------ extension data

    @Override
    public void putConversationExtension(String conversationId, String name, String value) {
        Objects.requireNonNull(value, "value");
        await("putConversationExtension", ExtensionSql.putConversationExtension(conversationId, name, value));
    }

    @Override
    public boolean deleteConversationExtension(String conversationId, String name) {
        return await("deleteConversationExtension", ExtensionSql.deleteConversationExtension(conversationId, name));
    }

    @Override
    public Optional<String> conversationExtension(String conversationId, String name) {
        return read("conversationExtension", () -> extensions.conversationExtension(conversationId, name));
    }

    @Override
    public Map<String, String> conversationExtensions(String name) {
        return read("conversationExtensions", () -> extensions.conversationExtensions(name));
    }

    @Override
    public boolean claim(String namespace, String key, String claimant, Instant at) {
        return await("claim", ExtensionSql.claim(namespace, key, claimant, at));
    }

    @Override
    public boolean releaseClaim(String namespace, String key) {
        return await("releaseClaim", ExtensionSql.releaseClaim(namespace, key));
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
     * them and names the first invalid one. Choose the database with {@link #sqlite(Path)} or
     * one of the {@code postgres} methods.
     */
    public static final class Builder {
        private Path sqlite;
        private String postgresUrl;
        private DataSource postgresDataSource;
        private String postgresUser;
        private String postgresPassword;
        private String schema;
        private Synchronous synchronous;
        private Integer maxBatch;
        private Integer readPoolSize;
        private Duration busyTimeout;
        private Clock clock;
        private ChatMetrics metrics;
        private Duration indexIdle = INDEX_IDLE;
        private long indexUrgentLag = INDEX_URGENT_LAG;

        private Builder() {
        }

        /**
         * SQLite: when the writer indexes new messages for search (tests hold it back to reach
         * the states between an append and its indexing). Not public: the defaults are the tuning.
         */
        Builder searchIndexing(Duration idle, long urgentLag) {
            this.indexIdle = Objects.requireNonNull(idle, "idle");
            this.indexUrgentLag = urgentLag;
            return this;
        }

        /** The SQLite database file; created with its directory if missing. */
        public Builder sqlite(Path file) {
            once("sqlite", sqlite);
            this.sqlite = Objects.requireNonNull(file, "sqlite");
            return this;
        }

        /**
         * A PostgreSQL database by JDBC URL ({@code jdbc:postgresql://host:5432/db}); credentials in
         * the URL or from {@link #postgresUser}/{@link #postgresPassword}. The store opens
         * {@code readPoolSize + 1} connections (plus one while migrating).
         *
         * @since 0.1.0
         */
        public Builder postgres(String jdbcUrl) {
            once("postgres", postgresUrl != null ? postgresUrl : postgresDataSource);
            this.postgresUrl = Objects.requireNonNull(jdbcUrl, "postgres");
            return this;
        }

        /**
         * A PostgreSQL database behind the host application's {@link DataSource} (which brings
         * its own credentials and settings). The store takes {@code readPoolSize + 1} connections
         * from it for as long as it is open (plus one while migrating); a pooling data source
         * must allow that many.
         *
         * @since 0.1.0
         */
        public Builder postgres(DataSource dataSource) {
            once("postgres", postgresUrl != null ? postgresUrl : postgresDataSource);
            this.postgresDataSource = Objects.requireNonNull(dataSource, "postgres");
            return this;
        }

        /** The user for {@link #postgres(String)}; default: the URL's, or the driver's default. */
        public Builder postgresUser(String user) {
            once("postgresUser", postgresUser);
            this.postgresUser = Objects.requireNonNull(user, "postgresUser");
            return this;
        }

        /** The password for {@link #postgres(String)}; default: the URL's, or none. Never logged. */
        public Builder postgresPassword(String password) {
            if (postgresPassword != null) {
                throw new IllegalStateException("postgresPassword was already set");
            }
            this.postgresPassword = Objects.requireNonNull(password, "postgresPassword");
            return this;
        }

        /**
         * The PostgreSQL schema holding the store's tables (and Flyway's history), created if
         * missing: several stores, or tests, can share a database in separate schemas. A plain
         * lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters). Default: the
         * connection's current schema (normally {@code public}), which must then be empty or
         * already hold the store.
         *
         * @since 0.1.0
         */
        public Builder schema(String name) {
            once("schema", schema);
            this.schema = Objects.requireNonNull(name, "schema");
            return this;
        }

        /**
         * How commits are made durable; default {@link Synchronous#FULL}. SQLite:
         * {@code PRAGMA synchronous}. PostgreSQL: {@code NORMAL} turns {@code synchronous_commit}
         * off for the writer; {@code FULL} keeps the server's setting.
         */
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

        /**
         * How long a write waits for a lock held by another process (SQLite: the busy timeout;
         * PostgreSQL: {@code lock_timeout} of the writer, for row locks held by another node);
         * 0 to 1 hour, default 5 s. A write that waits longer fails with {@code unavailable}.
         */
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
         * Where the store reports the duration of each commit (and how many writes it held);
         * default {@link ChatMetrics#none()}.
         *
         * @since 0.1.0
         */
        public Builder metrics(ChatMetrics value) {
            once("metrics", metrics);
            this.metrics = Objects.requireNonNull(value, "metrics");
            return this;
        }

        /**
         * Opens the store: creates or migrates the database and starts the writer thread.
         *
         * @throws IllegalStateException    when no database or two were chosen, or an option
         *                                  does not apply to the chosen database
         * @throws IllegalArgumentException naming an option whose value is out of range
         * @throws ChatException            {@code unavailable} when the database cannot be opened
         */
        public JdbcChatStore build() {
            boolean postgres = postgresUrl != null || postgresDataSource != null;
            if (sqlite == null && !postgres) {
                throw new IllegalStateException("sqlite(path) or postgres(jdbcUrl) must be set");
            }
            if (sqlite != null && postgres) {
                throw new IllegalStateException("sqlite and postgres are both set; choose one");
            }
            if (!postgres && schema != null) {
                throw new IllegalStateException("schema applies to postgres only");
            }
            if (postgresUrl == null && (postgresUser != null || postgresPassword != null)) {
                throw new IllegalStateException((postgresUser != null ? "postgresUser" : "postgresPassword")
                        + " applies to postgres(jdbcUrl) only; a DataSource brings its own credentials");
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
            if (metrics == null) {
                metrics = ChatMetrics.none();
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
            if (schema != null && !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case identifier ([a-z_][a-z0-9_]*,"
                        + " at most 63 characters): " + schema);
            }
            if (sqlite != null) {
                return new JdbcChatStore(this, new SqliteSetup(sqlite, synchronous, (int) busyTimeout.toMillis()));
            }
            DataSource dataSource = postgresDataSource;
            String description = "a PostgreSQL DataSource";
            if (postgresUrl != null) {
                // Up to the query string, which may hold a password.
                description = postgresUrl.contains("?") ? postgresUrl.substring(0, postgresUrl.indexOf('?')) : postgresUrl;
                dataSource = postgresDataSource(description);
            }
            return new JdbcChatStore(this, new PostgresSetup(dataSource, description, schema, synchronous, busyTimeout));
        }

        private DataSource postgresDataSource(String description) {
            if (!postgresUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("postgres must be a jdbc:postgresql: URL: " + description);
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            try {
                ds.setURL(postgresUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postgres is not a valid PostgreSQL JDBC URL: " + description);
            }
            if (postgresUser != null) {
                ds.setUser(postgresUser);
            }
            if (postgresPassword != null) {
                ds.setPassword(postgresPassword);
            }
            return ds;
        }

        private static void once(String option, Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
