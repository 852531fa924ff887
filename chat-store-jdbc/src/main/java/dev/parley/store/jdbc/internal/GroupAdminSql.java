package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.GroupInvite;
import dev.parley.core.GroupPermission;
import dev.parley.core.GroupSettings;
import dev.parley.core.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads and writes of group administration: roles, removals, settings, mutes, bans, invites. */
public final class GroupAdminSql {
    private static final String INVITE_COLUMNS =
            "code, conversation_id, created_by, created_at, expires_at, max_uses, uses, revoked";

    private final Jdbi jdbi;

    public GroupAdminSql(Jdbi readers) {
        this.jdbi = readers;
    }

    // ------------------------------------------------------------------ reads

    public GroupSettings groupSettings(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT description, avatar, who_can_post, who_can_add,"
                        + " info_editors, slow_mode_seconds FROM group_settings WHERE conversation_id = :c")
                .bind("c", conversationId)
                .map((rs, ctx) -> new GroupSettings(rs.getString("description"), rs.getString("avatar"),
                        permission(rs.getString("who_can_post")), permission(rs.getString("who_can_add")),
                        permission(rs.getString("info_editors")), rs.getInt("slow_mode_seconds")))
                .findOne()
                .orElseGet(GroupSettings::defaults));
    }

    public Optional<Instant> mutedUntil(String conversationId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT muted_until FROM group_mutes"
                        + " WHERE conversation_id = :c AND user_id = :u")
                .bind("c", conversationId)
                .bind("u", userId)
                .mapTo(Long.class)
                .findOne()
                .map(Instant::ofEpochMilli));
    }

    public boolean banned(String conversationId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM group_bans WHERE conversation_id = :c AND user_id = :u")
                .bind("c", conversationId)
                .bind("u", userId)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
    }

    public Optional<GroupInvite> findInvite(String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + INVITE_COLUMNS + " FROM group_invites WHERE code = :code")
                .bind("code", code)
                .map((rs, ctx) -> invite(rs))
                .findOne());
    }

    // ------------------------------------------------------------------ writes

    public static WriteOp<Boolean> setRole(String conversationId, String userId, Role role) {
        return update("setRole", "UPDATE members SET role = :role WHERE conversation_id = :c AND user_id = :u",
                h -> h.bind("role", role.wire()).bind("c", conversationId).bind("u", userId));
    }

    public static WriteOp<Boolean> removeMember(String conversationId, String userId) {
        return update("removeMember", "DELETE FROM members WHERE conversation_id = :c AND user_id = :u",
                h -> h.bind("c", conversationId).bind("u", userId));
    }

    public static WriteOp<Boolean> renameConversation(String conversationId, String name) {
        return new WriteOp<>("renameConversation") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                int n = ctx.handle().createUpdate("UPDATE conversations SET name = :name WHERE id = :c")
                        .bind("name", name).bind("c", conversationId).execute();
                if (n == 0) {
                    throw ChatException.notFound("conversation not found: " + conversationId);
                }
                return true;
            }
        };
    }

    public static WriteOp<Boolean> putGroupSettings(String conversationId, GroupSettings s) {
        return update("putGroupSettings", "INSERT INTO group_settings (conversation_id, description, avatar,"
                        + " who_can_post, who_can_add, info_editors, slow_mode_seconds)"
                        + " VALUES (:c, :description, :avatar, :post, :add, :info, :slow)"
                        + " ON CONFLICT (conversation_id) DO UPDATE SET description = excluded.description,"
                        + " avatar = excluded.avatar, who_can_post = excluded.who_can_post,"
                        + " who_can_add = excluded.who_can_add, info_editors = excluded.info_editors,"
                        + " slow_mode_seconds = excluded.slow_mode_seconds",
                h -> h.bind("c", conversationId).bind("description", s.description()).bind("avatar", s.avatar())
                        .bind("post", s.whoCanPost().wire()).bind("add", s.whoCanAdd().wire())
                        .bind("info", s.infoEditors().wire()).bind("slow", s.slowModeSeconds()));
    }

    public static WriteOp<Boolean> putMute(String conversationId, String userId, Instant until) {
        return update("putMute", "INSERT INTO group_mutes (conversation_id, user_id, muted_until) VALUES (:c, :u, :until)"
                        + " ON CONFLICT (conversation_id, user_id) DO UPDATE SET muted_until = excluded.muted_until",
                h -> h.bind("c", conversationId).bind("u", userId).bind("until", until.toEpochMilli()));
    }

    public static WriteOp<Boolean> deleteMute(String conversationId, String userId) {
        return update("deleteMute", "DELETE FROM group_mutes WHERE conversation_id = :c AND user_id = :u",
                h -> h.bind("c", conversationId).bind("u", userId));
    }

    public static WriteOp<Boolean> putBan(String conversationId, String userId, Instant at) {
        return update("putBan", "INSERT INTO group_bans (conversation_id, user_id, banned_at) VALUES (:c, :u, :at)"
                        + " ON CONFLICT (conversation_id, user_id) DO NOTHING",
                h -> h.bind("c", conversationId).bind("u", userId).bind("at", at.toEpochMilli()));
    }

    public static WriteOp<Boolean> deleteBan(String conversationId, String userId) {
        return update("deleteBan", "DELETE FROM group_bans WHERE conversation_id = :c AND user_id = :u",
                h -> h.bind("c", conversationId).bind("u", userId));
    }

    public static WriteOp<Boolean> createInvite(GroupInvite i) {
        return new WriteOp<>("createInvite") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                if (h.createQuery("SELECT 1 FROM group_invites WHERE code = :code").bind("code", i.code())
                        .mapTo(Integer.class).findOne().isPresent()) {
                    throw ChatException.conflict("invite code already exists");
                }
                h.createUpdate("INSERT INTO group_invites (" + INVITE_COLUMNS + ") VALUES (:code, :c, :by, :at,"
                                + " :expires, :max, :uses, :revoked)")
                        .bind("code", i.code()).bind("c", i.conversationId()).bind("by", i.createdBy())
                        .bind("at", i.createdAt().toEpochMilli())
                        .bind("expires", i.expiresAt() == null ? null : i.expiresAt().toEpochMilli())
                        .bind("max", i.maxUses()).bind("uses", i.uses()).bind("revoked", i.revoked() ? 1 : 0)
                        .execute();
                return true;
            }
        };
    }

    public static WriteOp<Boolean> revokeInvite(String conversationId, String code) {
        return update("revokeInvite", "UPDATE group_invites SET revoked = 1"
                        + " WHERE code = :code AND conversation_id = :c AND revoked = 0",
                h -> h.bind("code", code).bind("c", conversationId));
    }

    /** Counts a use only while the invite is usable, in one statement: concurrent joins cannot pass max_uses. */
    public static WriteOp<Boolean> useInvite(String code, Instant now) {
        return update("useInvite", "UPDATE group_invites SET uses = uses + 1 WHERE code = :code AND revoked = 0"
                        + " AND (expires_at IS NULL OR expires_at > :now) AND (max_uses IS NULL OR uses < max_uses)",
                h -> h.bind("code", code).bind("now", now.toEpochMilli()));
    }

    // ------------------------------------------------------------------ internals

    private interface Binder {
        org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update update);
    }

    /** A single-statement write; true when it changed a row. */
    private static WriteOp<Boolean> update(String action, String sql, Binder binder) {
        return new WriteOp<>(action) {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return binder.bind(ctx.handle().createUpdate(sql)).execute() > 0;
            }
        };
    }

    private static GroupPermission permission(String wire) {
        return GroupPermission.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    private static GroupInvite invite(ResultSet rs) throws SQLException {
        long expires = rs.getLong("expires_at");
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        int max = rs.getInt("max_uses");
        Integer maxUses = rs.wasNull() ? null : max;
        return new GroupInvite(rs.getString("code"), rs.getString("conversation_id"), rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")), expiresAt, maxUses, rs.getInt("uses"),
                rs.getInt("revoked") != 0);
    }
}
