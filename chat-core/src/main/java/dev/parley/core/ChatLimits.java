package dev.parley.core;

import java.time.Duration;

/**
 * Limits and timings the engine enforces. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ChatLimits limits = ChatLimits.builder().maxBodyChars(2_000).build();
 * }</pre>
 *
 * @param maxBodyChars             longest message text (default 4,000)
 * @param maxClientMsgIdChars      longest {@code clientMsgId} (64, fixed by the protocol)
 * @param maxGroupMembers          most members of a group (default 1,000)
 * @param maxNameChars             longest group or user name (default 100)
 * @param maxPageSize              largest history/conversations page (default 100)
 * @param defaultPageSize          page size when the client gives none (default 50)
 * @param maxResumePerConversation default of missed messages replayed per conversation on resume (500)
 * @param typingTimeout            a {@code start} without refresh turns into {@code stop} after this (5 s)
 * @param presenceGrace            offline is announced this long after the last device left (5 s)
 * @param editWindow               how long after sending its author may edit a message (48 h)
 * @param maxReactionsPerUser      most distinct emoji one user puts on one message (20)
 * @param maxEmojiPerMessage       most distinct emoji on one message (50)
 * @param maxPinsPerConversation   most pinned messages in one conversation (50)
 * @param expirySweepInterval      how often expired messages are erased (5 s)
 */
public record ChatLimits(int maxBodyChars, int maxClientMsgIdChars, int maxGroupMembers, int maxNameChars,
                         int maxPageSize, int defaultPageSize, int maxResumePerConversation,
                         Duration typingTimeout, Duration presenceGrace, Duration editWindow,
                         int maxReactionsPerUser, int maxEmojiPerMessage, int maxPinsPerConversation,
                         Duration expirySweepInterval) {

    public static ChatLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder; {@link #build()} names the first invalid option. */
    public static final class Builder {
        private int maxBodyChars = 4_000;
        private int maxGroupMembers = 1_000;
        private int maxNameChars = 100;
        private int maxPageSize = 100;
        private int defaultPageSize = 50;
        private int maxResumePerConversation = 500;
        private Duration typingTimeout = Duration.ofSeconds(5);
        private Duration presenceGrace = Duration.ofSeconds(5);
        private Duration editWindow = Duration.ofHours(48);
        private int maxReactionsPerUser = 20;
        private int maxEmojiPerMessage = 50;
        private int maxPinsPerConversation = 50;
        private Duration expirySweepInterval = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder maxBodyChars(int value) {
            this.maxBodyChars = value;
            return this;
        }

        public Builder maxGroupMembers(int value) {
            this.maxGroupMembers = value;
            return this;
        }

        public Builder maxNameChars(int value) {
            this.maxNameChars = value;
            return this;
        }

        public Builder maxPageSize(int value) {
            this.maxPageSize = value;
            return this;
        }

        public Builder defaultPageSize(int value) {
            this.defaultPageSize = value;
            return this;
        }

        public Builder maxResumePerConversation(int value) {
            this.maxResumePerConversation = value;
            return this;
        }

        public Builder typingTimeout(Duration value) {
            this.typingTimeout = value;
            return this;
        }

        public Builder presenceGrace(Duration value) {
            this.presenceGrace = value;
            return this;
        }

        /** How long after sending its author may edit a message; default 48 hours. */
        public Builder editWindow(Duration value) {
            this.editWindow = value;
            return this;
        }

        /** Most distinct emoji one user puts on one message; default 20. */
        public Builder maxReactionsPerUser(int value) {
            this.maxReactionsPerUser = value;
            return this;
        }

        /** Most distinct emoji on one message; default 50. */
        public Builder maxEmojiPerMessage(int value) {
            this.maxEmojiPerMessage = value;
            return this;
        }

        /** Most pinned messages in one conversation; default 50. */
        public Builder maxPinsPerConversation(int value) {
            this.maxPinsPerConversation = value;
            return this;
        }

        /** How often the engine erases expired messages; default 5 seconds. */
        public Builder expirySweepInterval(Duration value) {
            this.expirySweepInterval = value;
            return this;
        }

        public ChatLimits build() {
            positive("maxBodyChars", maxBodyChars);
            positive("maxGroupMembers", maxGroupMembers);
            positive("maxNameChars", maxNameChars);
            positive("maxPageSize", maxPageSize);
            positive("defaultPageSize", defaultPageSize);
            positive("maxResumePerConversation", maxResumePerConversation);
            positive("maxReactionsPerUser", maxReactionsPerUser);
            positive("maxEmojiPerMessage", maxEmojiPerMessage);
            positive("maxPinsPerConversation", maxPinsPerConversation);
            if (editWindow == null || editWindow.isNegative()) {
                throw new IllegalArgumentException("editWindow must not be negative");
            }
            if (defaultPageSize > maxPageSize) {
                throw new IllegalArgumentException("defaultPageSize must not exceed maxPageSize");
            }
            if (typingTimeout == null || typingTimeout.isNegative() || typingTimeout.isZero()) {
                throw new IllegalArgumentException("typingTimeout must be positive");
            }
            if (presenceGrace == null || presenceGrace.isNegative()) {
                throw new IllegalArgumentException("presenceGrace must not be negative");
            }
            if (expirySweepInterval == null || expirySweepInterval.toMillis() <= 0) {
                throw new IllegalArgumentException("expirySweepInterval must be at least 1 ms");
            }
            return new ChatLimits(maxBodyChars, 64, maxGroupMembers, maxNameChars, maxPageSize, defaultPageSize,
                    maxResumePerConversation, typingTimeout, presenceGrace, editWindow, maxReactionsPerUser,
                    maxEmojiPerMessage, maxPinsPerConversation, expirySweepInterval);
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
        }
    }
}
