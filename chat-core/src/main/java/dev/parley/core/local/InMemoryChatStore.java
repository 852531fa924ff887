package dev.parley.core.local;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.ConversationSummary;
import dev.parley.core.CursorKind;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupSettings;
import dev.parley.core.HistoryPage;
import dev.parley.core.Attachment;
import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.Links;
import dev.parley.core.Upload;
import dev.parley.core.ThreadSummary;
import dev.parley.core.ThreadView;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.PrivacySettings;
import dev.parley.core.ReactionSummary;
import dev.parley.core.RelationState;
import dev.parley.core.Role;
import dev.parley.core.User;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.ExpiredMessage;
import dev.parley.core.spi.SearchQuery;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.PinResult;
import dev.parley.core.spi.ReactionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatStore} that keeps everything in memory: nothing survives {@link #close()}.
 * For tests, demos and benchmarks of the transport without persistence. Thread-safe by one
 * lock; not built for large data sets.
 */
public final class InMemoryChatStore implements ChatStore {
    private static final Logger log = LoggerFactory.getLogger(InMemoryChatStore.class);
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<String, String> directByKey = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Member>> members = new HashMap<>();
    private final Map<String, List<Message>> messages = new HashMap<>();
    /** Client key to message id. */
    private final Map<String, String> byClientKey = new HashMap<>();
    /** Where each message is: {@code messages.get(conversationId).get(seq - 1)}. */
    private final Map<String, MessageRef> messageRefs = new HashMap<>();
    private final Map<String, List<MessageEdit>> edits = new HashMap<>();
    /** Message id to emoji (in first-use order) to user ids (in reaction order). */
    private final Map<String, LinkedHashMap<String, LinkedHashSet<String>>> reactions = new HashMap<>();
    /** {@code userId + '\0' + messageId} of messages hidden for one user. */
    private final Set<String> hidden = new HashSet<>();
    /** Conversation id to pinned message ids, oldest pin first. */
    private final Map<String, LinkedHashSet<String>> pins = new HashMap<>();
    private final Map<String, Long> lastActivity = new HashMap<>();
    private final Map<String, Upload> uploads = new HashMap<>();
    /** Upload id to the ids of the messages that carry it and are not deleted. */
    private final Map<String, LinkedHashSet<String>> carriers = new HashMap<>();
    /** Uploads that some message carried at some time. */
    private final Set<String> attachedEver = new HashSet<>();
    /** Thread root id to the seqs of its replies, ascending. */
    private final Map<String, List<Long>> threadReplies = new HashMap<>();
    /** (root id, user id) to the user's thread read cursor. */
    private final Map<String, Long> threadReads = new HashMap<>();
    private final Map<String, RelationState> relations = new HashMap<>();
    private final Map<String, PrivacySettings> privacy = new HashMap<>();
    /** Conversation id to its disappearing-messages timer in seconds. */
    private final Map<String, Long> expiryTimers = new HashMap<>();
    /** Message id to when it expires, for messages not erased yet. */
    private final Map<String, Instant> expiring = new HashMap<>();
    private long activityCounter;
    private boolean closed;

    @Override
    public synchronized void putUser(User user) {
        open();
        User existing = users.get(user.id());
        users.put(user.id(), existing == null ? user
                : new User(user.id(), user.name(), existing.createdAt(), user.avatar(), user.bio()));
    }

    @Override
    public synchronized Optional<User> findUser(String userId) {
        open();
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public synchronized Conversation createConversation(Conversation conversation, List<Member> newMembers) {
        open();
        if (conversation.directKey() != null) {
            String existing = directByKey.get(conversation.directKey());
            if (existing != null) {
                return conversations.get(existing);
            }
            directByKey.put(conversation.directKey(), conversation.id());
        }
        if (conversations.containsKey(conversation.id())) {
            throw ChatException.conflict("conversation id exists: " + conversation.id());
        }
        conversations.put(conversation.id(), conversation);
        LinkedHashMap<String, Member> byUser = new LinkedHashMap<>();
        newMembers.forEach(m -> byUser.put(m.userId(), m));
        members.put(conversation.id(), byUser);
        messages.put(conversation.id(), new ArrayList<>());
        lastActivity.put(conversation.id(), ++activityCounter);
        return conversation;
    }

    @Override
    public synchronized Optional<Conversation> findConversation(String conversationId) {
        open();
        return Optional.ofNullable(conversations.get(conversationId));
    }

    @Override
    public synchronized Optional<Member> findMember(String conversationId, String userId) {
        open();
        Map<String, Member> byUser = members.get(conversationId);
        return byUser == null ? Optional.empty() : Optional.ofNullable(byUser.get(userId));
    }

    @Override
    public synchronized List<Member> members(String conversationId) {
        open();
        Map<String, Member> byUser = members.get(conversationId);
        return byUser == null ? List.of() : List.copyOf(byUser.values());
    }

    @Override
    public synchronized boolean addMember(Member member) {
        open();
        Map<String, Member> byUser = members.get(member.conversationId());
        if (byUser == null) {
            throw ChatException.notFound("conversation not found: " + member.conversationId());
        }
        return byUser.putIfAbsent(member.userId(), member) == null;
    }

    @Override
    public synchronized CompletableFuture<AppendResult> append(NewMessage m, Consumer<AppendResult> onCommitted) {
        if (closed) {
            return CompletableFuture.failedFuture(ChatException.unavailable("store is closed", null));
        }
        Conversation conversation = conversations.get(m.conversationId());
        if (conversation == null) {
            return CompletableFuture.failedFuture(ChatException.notFound("conversation not found: " + m.conversationId()));
        }
        String clientKey = m.conversationId() + '\u0000' + m.senderId() + '\u0000' + m.clientMsgId();
        String existingId = byClientKey.get(clientKey);
        if (existingId != null) {
            return committed(new AppendResult(stored(existingId), true), onCommitted);
        }
        long seq = conversation.lastSeq() + 1;
        Message root = null;
        if (m.threadRootId() != null) {
            root = stored(m.threadRootId());
            if (root == null || !root.conversationId().equals(m.conversationId()) || root.inThread()) {
                return CompletableFuture.failedFuture(
                        ChatException.notFound("thread root not found: " + m.threadRootId()));
            }
            root = root.withThread(root.thread() == null
                    ? ThreadSummary.firstReply(m.senderId(), seq, m.createdAt())
                    : root.thread().plusReply(m.senderId(), seq, m.createdAt()));
        }
        Message stored = m.toMessage(seq, m.createdAt());
        Instant expiresAt = expiresAt(m);
        if (expiresAt != null) {
            expiring.put(stored.id(), expiresAt);
        }
        messages.get(m.conversationId()).add(stored);
        for (Attachment a : stored.body().attachments()) {
            carriers.computeIfAbsent(a.id(), id -> new LinkedHashSet<>()).add(stored.id());
            attachedEver.add(a.id());
        }
        byClientKey.put(clientKey, stored.id());
        messageRefs.put(stored.id(), new MessageRef(stored.conversationId(), seq));
        conversations.put(conversation.id(), conversation.withLastSeq(seq));
        lastActivity.put(conversation.id(), ++activityCounter);
        if (root != null) {
            replace(root);
            threadReplies.computeIfAbsent(root.id(), id -> new ArrayList<>()).add(seq);
            root = view(root, null);
        }
        return committed(new AppendResult(stored, false, root), onCommitted);
    }

    private static CompletableFuture<AppendResult> committed(AppendResult result, Consumer<AppendResult> onCommitted) {
        try {
            onCommitted.accept(result);
        } catch (RuntimeException e) {
            log.warn("append callback failed", e);
        }
        return CompletableFuture.completedFuture(result);
    }

    @Override
    public synchronized HistoryPage history(String conversationId, Long beforeSeq, Long afterSeq, int limit,
                                            String viewerId) {
        open();
        if (beforeSeq != null && afterSeq != null) {
            throw ChatException.badRequest("give beforeSeq or afterSeq, not both");
        }
        requirePositive("limit", limit);
        List<Message> all = messages.getOrDefault(conversationId, List.of());
        // all.get(i).seq() == i + 1
        int from;
        int to;
        boolean hasMore;
        if (afterSeq != null) {
            from = (int) Math.min(Math.max(afterSeq, 0), all.size());
            to = Math.min(all.size(), from + limit);
            hasMore = to < all.size();
        } else {
            to = beforeSeq == null ? all.size() : (int) Math.min(Math.max(beforeSeq - 1, 0), all.size());
            from = Math.max(0, to - limit);
            hasMore = from > 0;
        }
        List<Message> page = new ArrayList<>(to - from);
        for (Message m : all.subList(from, to)) {
            page.add(view(m, viewerId));
        }
        return new HistoryPage(page, hasMore);
    }

    // ---------------------------------------------------------------- uploads

    private void dropAttachments(Message m) {
        for (Attachment a : m.body().attachments()) {
            LinkedHashSet<String> ids = carriers.get(a.id());
            if (ids != null) {
                ids.remove(m.id());
            }
        }
    }

    @Override
    public synchronized void putUpload(Upload upload) {
        open();
        uploads.put(upload.id(), upload);
    }

    @Override
    public synchronized Optional<Upload> findUpload(String uploadId) {
        open();
        return Optional.ofNullable(uploads.get(uploadId));
    }

    @Override
    public synchronized boolean mayDownload(String userId, String uploadId) {
        open();
        Upload upload = uploads.get(uploadId);
        if (upload == null) {
            return false;
        }
        if (upload.ownerId().equals(userId)) {
            return true;
        }
        for (String messageId : carriers.getOrDefault(uploadId, new LinkedHashSet<>())) {
            Map<String, Member> byUser = members.get(messageRefs.get(messageId).conversationId());
            if (byUser != null && byUser.containsKey(userId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized List<GalleryItem> gallery(String conversationId, AttachmentKind kind, Long beforeSeq,
                                                  int limit) {
        open();
        List<Message> all = messages.getOrDefault(conversationId, List.of());
        List<GalleryItem> out = new ArrayList<>();
        int taken = 0;
        for (int i = all.size() - 1; i >= 0 && taken < limit; i--) {
            Message m = all.get(i);
            if (m.deleted() || (beforeSeq != null && m.seq() >= beforeSeq)) {
                continue;
            }
            boolean any = false;
            for (Attachment a : m.body().attachments()) {
                if (a.kind() == kind) {
                    out.add(new GalleryItem(a, m.id(), m.seq(), m.senderId(), m.createdAt()));
                    any = true;
                }
            }
            if (any) {
                taken++;
            }
        }
        return out;
    }

    @Override
    public synchronized List<LinkItem> links(String conversationId, Long beforeSeq, int limit) {
        open();
        List<Message> all = messages.getOrDefault(conversationId, List.of());
        List<LinkItem> out = new ArrayList<>();
        int taken = 0;
        for (int i = all.size() - 1; i >= 0 && taken < limit; i--) {
            Message m = all.get(i);
            if (m.deleted() || m.fromSystem() || (beforeSeq != null && m.seq() >= beforeSeq)) {
                continue;
            }
            List<String> urls = Links.extract(m.body().text());
            for (String url : urls) {
                out.add(new LinkItem(url, m.id(), m.seq(), m.senderId(), m.createdAt()));
            }
            if (!urls.isEmpty()) {
                taken++;
            }
        }
        return out;
    }

    @Override
    public synchronized List<Upload> releasableUploads(Instant unattachedBefore, int max) {
        open();
        return uploads.values().stream()
                .filter(u -> carriers.getOrDefault(u.id(), new LinkedHashSet<>()).isEmpty())
                .filter(u -> attachedEver.contains(u.id()) || u.createdAt().isBefore(unattachedBefore))
                .sorted(Comparator.comparing(Upload::createdAt))
                .limit(max)
                .toList();
    }

    @Override
    public synchronized void deleteUploads(Collection<String> uploadIds) {
        open();
        for (String id : uploadIds) {
            uploads.remove(id);
            carriers.remove(id);
            attachedEver.remove(id);
        }
    }

    @Override
    public synchronized boolean blobReferenced(String sha256) {
        open();
        return uploads.values().stream()
                .anyMatch(u -> u.sha256().equals(sha256) || sha256.equals(u.previewSha256()));
    }

    // ---------------------------------------------------------------- threads

    @Override
    public synchronized HistoryPage threadHistory(String rootId, Long beforeSeq, Long afterSeq, int limit,
                                                  String viewerId) {
        open();
        Message root = stored(rootId);
        List<Long> seqs = threadReplies.getOrDefault(rootId, List.of());
        List<Long> selected;
        boolean hasMore;
        if (afterSeq != null) {
            List<Long> above = seqs.stream().filter(q -> q > afterSeq).toList();
            selected = above.subList(0, Math.min(limit, above.size()));
            hasMore = above.size() > limit;
        } else {
            List<Long> below = beforeSeq == null ? seqs : seqs.stream().filter(q -> q < beforeSeq).toList();
            selected = below.subList(Math.max(0, below.size() - limit), below.size());
            hasMore = below.size() > limit;
        }
        List<Message> page = new ArrayList<>(selected.size());
        for (long seq : selected) {
            page.add(view(messages.get(root.conversationId()).get((int) seq - 1), viewerId));
        }
        return new HistoryPage(page, hasMore);
    }

    @Override
    public synchronized Optional<ThreadView> thread(String rootId, String viewerId) {
        open();
        Message root = stored(rootId);
        return root == null ? Optional.empty() : Optional.of(threadView(root, viewerId));
    }

    private ThreadView threadView(Message root, String viewerId) {
        long readSeq = viewerId == null ? 0 : threadReads.getOrDefault(root.id() + '\u0000' + viewerId, 0L);
        long unread = 0;
        List<Message> all = messages.get(root.conversationId());
        for (long seq : threadReplies.getOrDefault(root.id(), List.of())) {
            Message reply = all.get((int) seq - 1);
            if (seq > readSeq && !reply.senderId().equals(viewerId) && !reply.deleted()
                    && !hidden.contains(viewerId + '\u0000' + reply.id())) {
                unread++;
            }
        }
        return new ThreadView(view(root, viewerId), readSeq, unread);
    }

    @Override
    public synchronized List<ThreadView> threads(String conversationId, String viewerId, Long beforeLastReplySeq,
                                                 int limit) {
        open();
        long bound = beforeLastReplySeq == null ? Long.MAX_VALUE : beforeLastReplySeq;
        return messages.getOrDefault(conversationId, List.of()).stream()
                .filter(m -> m.thread() != null && m.thread().lastReplySeq() < bound)
                .sorted(Comparator.comparingLong((Message m) -> m.thread().lastReplySeq()).reversed())
                .limit(limit)
                .map(m -> threadView(m, viewerId))
                .toList();
    }

    @Override
    public synchronized boolean advanceThreadRead(String rootId, String userId, long seq) {
        open();
        String key = rootId + '\u0000' + userId;
        long current = threadReads.getOrDefault(key, 0L);
        if (seq <= current) {
            return false;
        }
        threadReads.put(key, seq);
        return true;
    }

    @Override
    public synchronized boolean advanceCursor(String conversationId, String userId, CursorKind kind, long seq) {
        open();
        Map<String, Member> byUser = members.get(conversationId);
        Member m = byUser == null ? null : byUser.get(userId);
        if (m == null) {
            return false;
        }
        long delivered = m.deliveredSeq();
        long read = m.readSeq();
        boolean moved;
        if (kind == CursorKind.READ) {
            moved = seq > read;
            read = Math.max(read, seq);
            delivered = Math.max(delivered, seq);
        } else {
            moved = seq > delivered;
            delivered = Math.max(delivered, seq);
        }
        byUser.put(userId, new Member(conversationId, userId, m.role(), m.joinedAt(), delivered, read));
        return moved;
    }

    @Override
    public synchronized ConversationPage conversationsOf(String userId, int limit, String cursor) {
        open();
        requirePositive("limit", limit);
        long after = Long.MAX_VALUE;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ChatException.badRequest("cursor is not a cursor from this server");
            }
        }
        final long bound = after;
        List<String> ids = conversations.keySet().stream()
                .filter(id -> members.get(id).containsKey(userId))
                .filter(id -> lastActivity.get(id) < bound)
                .sorted(Comparator.comparing((String id) -> lastActivity.get(id)).reversed())
                .toList();
        List<ConversationSummary> page = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
            Member me = members.get(id).get(userId);
            List<Message> all = messages.get(id);
            long unread = all.stream().filter(m -> m.seq() > me.readSeq() && !m.senderId().equals(userId)
                    && !m.deleted() && !m.fromSystem() && !hidden.contains(userId + '\u0000' + m.id())).count();
            long mentionsUnread = all.stream().filter(m -> m.seq() > me.readSeq() && !m.deleted()
                    && m.mentions().contains(userId) && !hidden.contains(userId + '\u0000' + m.id())).count();
            page.add(new ConversationSummary(conversations.get(id), List.copyOf(members.get(id).keySet()),
                    all.isEmpty() ? null : view(all.get(all.size() - 1), userId), unread, me.readSeq(),
                    me.deliveredSeq(), mentionsUnread));
        }
        String next = ids.size() > limit ? String.valueOf(lastActivity.get(ids.get(limit - 1))) : null;
        return new ConversationPage(page, next);
    }

    // ------------------------------------------------------------------ edits, deletion, reactions, pins

    @Override
    public synchronized Optional<Message> findMessage(String messageId, String viewerId) {
        open();
        Message m = stored(messageId);
        return m == null ? Optional.empty() : Optional.of(view(m, viewerId));
    }

    @Override
    public synchronized boolean editMessage(String messageId, MessageBody body, Instant editedAt) {
        open();
        Message m = stored(messageId);
        if (m == null || m.deleted()) {
            return false;
        }
        edits.computeIfAbsent(messageId, k -> new ArrayList<>()).add(new MessageEdit(m.body(), editedAt));
        replace(m.edited(body, editedAt));
        return true;
    }

    @Override
    public synchronized List<MessageEdit> edits(String messageId) {
        open();
        return List.copyOf(edits.getOrDefault(messageId, List.of()));
    }

    @Override
    public synchronized boolean deleteMessage(String messageId) {
        open();
        Message m = stored(messageId);
        if (m == null || m.deleted()) {
            return false;
        }
        replace(m.tombstone());
        dropAttachments(m);
        edits.remove(messageId);
        reactions.remove(messageId);
        LinkedHashSet<String> pinned = pins.get(m.conversationId());
        if (pinned != null) {
            pinned.remove(messageId);
        }
        return true;
    }

    @Override
    public synchronized boolean hideMessage(String userId, String messageId, Instant at) {
        open();
        return hidden.add(userId + '\u0000' + messageId);
    }

    @Override
    public synchronized ReactionResult addReaction(String messageId, String userId, String emoji, Instant at,
                                                   int maxPerUser, int maxPerMessage) {
        open();
        Message m = stored(messageId);
        if (m == null || m.deleted()) {
            return ReactionResult.MESSAGE_DELETED;
        }
        LinkedHashMap<String, LinkedHashSet<String>> byEmoji = reactions.computeIfAbsent(messageId,
                k -> new LinkedHashMap<>());
        LinkedHashSet<String> users = byEmoji.get(emoji);
        if (users != null && users.contains(userId)) {
            return ReactionResult.UNCHANGED;
        }
        long mine = byEmoji.values().stream().filter(u -> u.contains(userId)).count();
        if (mine >= maxPerUser) {
            return ReactionResult.TOO_MANY_FROM_USER;
        }
        if (users == null && byEmoji.size() >= maxPerMessage) {
            return ReactionResult.TOO_MANY_EMOJI;
        }
        byEmoji.computeIfAbsent(emoji, k -> new LinkedHashSet<>()).add(userId);
        return ReactionResult.ADDED;
    }

    @Override
    public synchronized boolean removeReaction(String messageId, String userId, String emoji) {
        open();
        LinkedHashMap<String, LinkedHashSet<String>> byEmoji = reactions.get(messageId);
        LinkedHashSet<String> users = byEmoji == null ? null : byEmoji.get(emoji);
        if (users == null || !users.remove(userId)) {
            return false;
        }
        if (users.isEmpty()) {
            byEmoji.remove(emoji);
        }
        return true;
    }

    @Override
    public synchronized PinResult pin(String messageId, String userId, Instant at, int maxPins) {
        open();
        Message m = stored(messageId);
        if (m == null || m.deleted()) {
            return PinResult.MESSAGE_DELETED;
        }
        LinkedHashSet<String> pinned = pins.computeIfAbsent(m.conversationId(), k -> new LinkedHashSet<>());
        if (pinned.contains(messageId)) {
            return PinResult.UNCHANGED;
        }
        if (pinned.size() >= maxPins) {
            return PinResult.TOO_MANY_PINS;
        }
        pinned.add(messageId);
        return PinResult.PINNED;
    }

    @Override
    public synchronized boolean unpin(String messageId) {
        open();
        MessageRef ref = messageRefs.get(messageId);
        LinkedHashSet<String> pinned = ref == null ? null : pins.get(ref.conversationId());
        return pinned != null && pinned.remove(messageId);
    }

    @Override
    public synchronized List<Message> pinned(String conversationId, String viewerId) {
        open();
        List<Message> out = new ArrayList<>();
        for (String id : pins.getOrDefault(conversationId, new LinkedHashSet<>())) {
            out.add(0, view(stored(id), viewerId));
        }
        return out;
    }

    // ------------------------------------------------------------------ search and expiry

    @Override
    public synchronized List<SearchHit> search(String viewerId, SearchQuery query) {
        open();
        TextMatch match = new TextMatch(query.text());
        if (match.isEmpty()) {
            return List.of();
        }
        record Scored(Message message, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (Map.Entry<String, LinkedHashMap<String, Member>> e : members.entrySet()) {
            if (!e.getValue().containsKey(viewerId)
                    || (query.conversationId() != null && !query.conversationId().equals(e.getKey()))) {
                continue;
            }
            for (Message m : messages.getOrDefault(e.getKey(), List.of())) {
                if (m.deleted() || m.fromSystem() || hidden.contains(viewerId + '\u0000' + m.id())
                        || (query.senderId() != null && !query.senderId().equals(m.senderId()))
                        || (query.after() != null && m.createdAt().isBefore(query.after()))
                        || (query.before() != null && !m.createdAt().isBefore(query.before()))
                        || (query.hasAttachment() != null && query.hasAttachment() != m.body().hasAttachments())) {
                    continue;
                }
                int score = match.score(m.body().text());
                if (score > 0) {
                    scored.add(new Scored(m, score));
                }
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).reversed()
                .thenComparing(x -> x.message().createdAt(), Comparator.reverseOrder())
                .thenComparing(x -> x.message().id(), Comparator.reverseOrder()));
        return scored.stream().skip(query.offset()).limit(query.limit())
                .map(x -> new SearchHit(view(x.message(), viewerId), match.snippet(x.message().body().text()),
                        x.score()))
                .toList();
    }

    @Override
    public synchronized void setExpiry(String conversationId, long seconds) {
        open();
        if (!conversations.containsKey(conversationId)) {
            throw ChatException.notFound("conversation not found: " + conversationId);
        }
        expiryTimers.put(conversationId, seconds);
    }

    @Override
    public synchronized long expiry(String conversationId) {
        open();
        return expiryTimers.getOrDefault(conversationId, 0L);
    }

    @Override
    public synchronized List<String> conversationsWithExpired(Instant now, int max) {
        open();
        return expiring.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                .map(e -> messageRefs.get(e.getKey()).conversationId()).distinct().sorted().limit(max).toList();
    }

    @Override
    public synchronized List<ExpiredMessage> expire(String conversationId, Instant now, int max) {
        open();
        List<ExpiredMessage> out = new ArrayList<>();
        for (Message m : messages.getOrDefault(conversationId, List.of())) {
            Instant at = expiring.get(m.id());
            if (at == null || at.isAfter(now)) {
                continue;
            }
            if (out.size() == max) {
                break;
            }
            expiring.remove(m.id());
            replace(m.expiredTombstone().withHidden(false));
            dropAttachments(m);
            edits.remove(m.id());
            reactions.remove(m.id());
            LinkedHashSet<String> pinned = pins.get(conversationId);
            if (pinned != null) {
                pinned.remove(m.id());
            }
            out.add(new ExpiredMessage(m.id(), m.seq()));
        }
        return out;
    }

    /** The earlier of the sender's time to live and the conversation's timer, or {@code null}. */
    private Instant expiresAt(NewMessage m) {
        long timer = expiryTimers.getOrDefault(m.conversationId(), 0L);
        Instant byTimer = timer > 0 ? m.createdAt().plusSeconds(timer) : null;
        if (byTimer == null || (m.expiresAt() != null && m.expiresAt().isBefore(byTimer))) {
            return m.expiresAt();
        }
        return byTimer;
    }

    /** The stored message (no reactions), or {@code null}. */
    private Message stored(String messageId) {
        MessageRef ref = messageRefs.get(messageId);
        return ref == null ? null : messages.get(ref.conversationId()).get((int) ref.seq() - 1);
    }

    private record MessageRef(String conversationId, long seq) {
    }

    private void replace(Message m) {
        messages.get(m.conversationId()).set((int) m.seq() - 1, m);
    }

    /** The message as {@code viewerId} reads it: reactions with {@code me}, hidden mark. */
    private Message view(Message m, String viewerId) {
        Message out = m;
        LinkedHashMap<String, LinkedHashSet<String>> byEmoji = reactions.get(m.id());
        if (byEmoji != null && !byEmoji.isEmpty()) {
            List<ReactionSummary> summaries = new ArrayList<>(byEmoji.size());
            byEmoji.forEach((emoji, users) -> summaries.add(new ReactionSummary(emoji, users.size(),
                    users.stream().limit(ReactionSummary.MAX_USER_IDS).toList(),
                    viewerId != null && users.contains(viewerId))));
            out = out.withReactions(summaries);
        }
        if (viewerId != null && hidden.contains(viewerId + '\u0000' + m.id())) {
            out = out.withHidden(true);
        }
        return out;
    }

    @Override
    public synchronized Set<String> contactsOf(String userId) {
        open();
        Set<String> contacts = new TreeSet<>();
        for (Map<String, Member> byUser : members.values()) {
            if (byUser.containsKey(userId)) {
                contacts.addAll(byUser.keySet());
            }
        }
        contacts.remove(userId);
        return contacts;
    }

    @Override
    public synchronized List<User> searchUsers(String query, int limit) {
        open();
        if (limit < 1) {
            throw ChatException.badRequest("limit must be >= 1");
        }
        String q = query.toLowerCase(java.util.Locale.ROOT);
        return users.values().stream()
                .filter(u -> u.name().toLowerCase(java.util.Locale.ROOT).contains(q))
                .sorted(Comparator.comparing(User::name).thenComparing(User::id))
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<RelationState> relation(String userId, String otherId) {
        open();
        return Optional.ofNullable(relations.get(userId + '\u0000' + otherId));
    }

    @Override
    public synchronized void putRelation(String userId, String otherId, RelationState state) {
        open();
        relations.put(userId + '\u0000' + otherId, state);
    }

    @Override
    public synchronized boolean deleteRelation(String userId, String otherId) {
        open();
        return relations.remove(userId + '\u0000' + otherId) != null;
    }

    @Override
    public synchronized List<String> relationsFrom(String userId, RelationState state) {
        open();
        return relations.entrySet().stream()
                .filter(e -> e.getValue() == state && e.getKey().startsWith(userId + '\u0000'))
                .map(e -> e.getKey().substring(userId.length() + 1)).sorted().toList();
    }

    @Override
    public synchronized List<String> relationsTo(String userId, RelationState state) {
        open();
        return relations.entrySet().stream()
                .filter(e -> e.getValue() == state && e.getKey().endsWith('\u0000' + userId))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('\u0000'))).sorted().toList();
    }

    @Override
    public synchronized PrivacySettings privacy(String userId) {
        open();
        return privacy.getOrDefault(userId, PrivacySettings.defaults());
    }

    @Override
    public synchronized void putPrivacy(String userId, PrivacySettings settings) {
        open();
        privacy.put(userId, settings);
    }

    // ---------------------------------------------------------------- group administration

    private final Map<String, GroupSettings> groupSettings = new HashMap<>();
    private final Map<String, Instant> mutes = new HashMap<>();
    private final Set<String> bans = new HashSet<>();
    private final Map<String, GroupInvite> invites = new HashMap<>();

    private static String memberKey(String conversationId, String userId) {
        return conversationId + '\u0000' + userId;
    }

    @Override
    public synchronized boolean setRole(String conversationId, String userId, Role role) {
        open();
        Map<String, Member> byUser = members.get(conversationId);
        Member m = byUser == null ? null : byUser.get(userId);
        if (m == null) {
            return false;
        }
        byUser.put(userId, new Member(conversationId, userId, role, m.joinedAt(), m.deliveredSeq(), m.readSeq()));
        return true;
    }

    @Override
    public synchronized boolean removeMember(String conversationId, String userId) {
        open();
        Map<String, Member> byUser = members.get(conversationId);
        return byUser != null && byUser.remove(userId) != null;
    }

    @Override
    public synchronized void renameConversation(String conversationId, String name) {
        open();
        Conversation c = conversations.get(conversationId);
        if (c == null) {
            throw ChatException.notFound("conversation not found: " + conversationId);
        }
        conversations.put(conversationId, c.withName(name));
    }

    @Override
    public synchronized GroupSettings groupSettings(String conversationId) {
        open();
        return groupSettings.getOrDefault(conversationId, GroupSettings.defaults());
    }

    @Override
    public synchronized void putGroupSettings(String conversationId, GroupSettings settings) {
        open();
        groupSettings.put(conversationId, settings);
    }

    @Override
    public synchronized void putMute(String conversationId, String userId, Instant until) {
        open();
        mutes.put(memberKey(conversationId, userId), until);
    }

    @Override
    public synchronized boolean deleteMute(String conversationId, String userId) {
        open();
        return mutes.remove(memberKey(conversationId, userId)) != null;
    }

    @Override
    public synchronized Optional<Instant> mutedUntil(String conversationId, String userId) {
        open();
        return Optional.ofNullable(mutes.get(memberKey(conversationId, userId)));
    }

    @Override
    public synchronized boolean putBan(String conversationId, String userId, Instant at) {
        open();
        return bans.add(memberKey(conversationId, userId));
    }

    @Override
    public synchronized boolean deleteBan(String conversationId, String userId) {
        open();
        return bans.remove(memberKey(conversationId, userId));
    }

    @Override
    public synchronized boolean banned(String conversationId, String userId) {
        open();
        return bans.contains(memberKey(conversationId, userId));
    }

    @Override
    public synchronized void createInvite(GroupInvite invite) {
        open();
        if (invites.putIfAbsent(invite.code(), invite) != null) {
            throw ChatException.conflict("invite code already exists");
        }
    }

    @Override
    public synchronized Optional<GroupInvite> findInvite(String code) {
        open();
        return Optional.ofNullable(invites.get(code));
    }

    @Override
    public synchronized boolean revokeInvite(String conversationId, String code) {
        open();
        GroupInvite i = invites.get(code);
        if (i == null || i.revoked() || !i.conversationId().equals(conversationId)) {
            return false;
        }
        invites.put(code, new GroupInvite(i.code(), i.conversationId(), i.createdBy(), i.createdAt(), i.expiresAt(),
                i.maxUses(), i.uses(), true));
        return true;
    }

    @Override
    public synchronized boolean useInvite(String code, Instant now) {
        open();
        GroupInvite i = invites.get(code);
        if (i == null || !i.usableAt(now)) {
            return false;
        }
        invites.put(code, new GroupInvite(i.code(), i.conversationId(), i.createdBy(), i.createdAt(), i.expiresAt(),
                i.maxUses(), i.uses() + 1, false));
        return true;
    }

    // ---------------------------------------------------------------- extension data

    private final Map<String, Map<String, String>> extensions = new HashMap<>();
    private final Set<String> claims = new HashSet<>();

    @Override
    public synchronized void putConversationExtension(String conversationId, String name, String value) {
        open();
        Objects.requireNonNull(value, "value");
        extensions.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(conversationId, value);
    }

    @Override
    public synchronized boolean deleteConversationExtension(String conversationId, String name) {
        open();
        Map<String, String> values = extensions.get(name);
        return values != null && values.remove(conversationId) != null;
    }

    @Override
    public synchronized Optional<String> conversationExtension(String conversationId, String name) {
        open();
        return Optional.ofNullable(extensions.getOrDefault(name, Map.of()).get(conversationId));
    }

    @Override
    public synchronized Map<String, String> conversationExtensions(String name) {
        open();
        return Map.copyOf(extensions.getOrDefault(name, Map.of()));
    }

    @Override
    public synchronized boolean claim(String namespace, String key, String claimant, Instant at) {
        open();
        return claims.add(namespace + '\u0000' + key);
    }

    @Override
    public synchronized boolean releaseClaim(String namespace, String key) {
        open();
        return claims.remove(namespace + '\u0000' + key);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw ChatException.badRequest(name + " must be >= 1: " + value);
        }
    }

    private void open() {
        if (closed) {
            throw ChatException.unavailable("store is closed", null);
        }
    }
}
