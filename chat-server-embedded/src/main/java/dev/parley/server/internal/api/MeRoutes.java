package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.noContent;
import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.accounts.AccountService;
import dev.parley.core.Audience;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.PrivacySettings;
import dev.parley.core.Relations;
import dev.parley.core.User;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.Principal;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code /v1/me…}: the caller's account, profile, sessions, privacy settings and relations. */
final class MeRoutes {
    private final ApiContext context;
    private final ChatEngine engine;
    private final ProtocolCodec codec;

    MeRoutes(ApiContext context) {
        this.context = context;
        this.engine = context.engine();
        this.codec = context.codec();
    }

    void addTo(ApiRouter router) {
        router.get("/v1/me", this::me)
                .delete("/v1/me", this::deleteMe)
                .post("/v1/me/profile", this::updateProfile)
                .get("/v1/me/sessions", this::sessions)
                .post("/v1/me/sessions/{sessionId}/revoke", this::revokeSession)
                .delete("/v1/me/sessions/{sessionId}", this::revokeSession)
                .get("/v1/me/privacy", this::privacy)
                .post("/v1/me/privacy", this::updatePrivacy)
                .get("/v1/me/friends", this::friends);
    }

    private JsonReply me(ApiCall call) {
        String userId = call.userId();
        ObjectNode reply = object();
        reply.set("user", codec.user(engine.user(userId)));
        context.account(userId).ifPresentOrElse(account -> reply.put("username", account.username())
                        .put("admin", account.admin()).put("totpEnabled", account.totpEnabled()),
                () -> reply.put("admin", false).put("totpEnabled", false));
        return ok(reply);
    }

    private JsonReply deleteMe(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        String userId = call.userId();
        accounts.deleteAccount(userId, userId);
        return noContent();
    }

    private JsonReply updateProfile(ApiCall call) {
        String userId = call.userId();
        JsonFields body = call.body();
        User user = engine.updateProfile(userId, body.string("name"), body.string("avatar"), body.string("bio"));
        ObjectNode reply = object();
        reply.set("user", codec.user(user));
        return ok(reply);
    }

    private JsonReply sessions(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        Principal caller = call.principal();
        ObjectNode reply = object();
        ArrayNode items = reply.putArray("sessions");
        for (AuthSession s : accounts.sessions(caller.userId())) {
            ObjectNode item = items.addObject()
                    .put("id", s.id())
                    .put("createdAt", ProtocolCodec.TIME.format(s.createdAt()))
                    .put("lastUsedAt", ProtocolCodec.TIME.format(s.lastUsedAt()))
                    .put("expiresAt", ProtocolCodec.TIME.format(s.expiresAt()));
            if (s.client() != null) {
                item.put("client", s.client());
            }
            if (s.address() != null) {
                item.put("address", s.address());
            }
            item.put("current", s.id().equals(caller.sessionId()));
        }
        return ok(reply);
    }

    private JsonReply revokeSession(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        accounts.revokeSession(call.userId(), call.path("sessionId"));
        return noContent();
    }

    private JsonReply privacy(ApiCall call) {
        return ok(privacyReply(engine.privacy(call.userId())));
    }

    /** Partial update: fields left out keep their value. */
    private JsonReply updatePrivacy(ApiCall call) {
        String userId = call.userId();
        JsonFields body = call.body();
        PrivacySettings current = engine.privacy(userId);
        Boolean readReceipts = body.bool("readReceipts");
        PrivacySettings updated = new PrivacySettings(
                audience(body, "directMessages", current.directMessages()),
                audience(body, "lastSeen", current.lastSeen()),
                audience(body, "presence", current.presence()),
                readReceipts == null ? current.readReceipts() : readReceipts);
        return ok(privacyReply(engine.updatePrivacy(userId, updated)));
    }

    private ObjectNode privacyReply(PrivacySettings settings) {
        ObjectNode reply = object();
        reply.set("privacy", codec.tree(settings));
        return reply;
    }

    private static Audience audience(JsonFields body, String field, Audience current) {
        String value = body.string(field);
        if (value == null) {
            return current;
        }
        for (Audience audience : Audience.values()) {
            if (audience.wire().equals(value)) {
                return audience;
            }
        }
        throw ChatException.badRequest(field + " must be everyone, friends or nobody");
    }

    /** Relation ids by kind, plus {@code users}: the profile summary of every user listed. */
    private JsonReply friends(ApiCall call) {
        Relations relations = engine.relations(call.userId());
        ObjectNode reply = object();
        addIds(reply, "friends", relations.friends());
        addIds(reply, "incoming", relations.incoming());
        addIds(reply, "outgoing", relations.outgoing());
        addIds(reply, "blocked", relations.blocked());
        Set<String> all = new LinkedHashSet<>();
        all.addAll(relations.friends());
        all.addAll(relations.incoming());
        all.addAll(relations.outgoing());
        all.addAll(relations.blocked());
        ObjectNode users = reply.putObject("users");
        for (String id : all) {
            try {
                User user = engine.user(id);
                ObjectNode entry = users.putObject(id).put("id", user.id()).put("name", user.name());
                if (user.avatar() != null) {
                    entry.put("avatar", user.avatar());
                }
            } catch (ChatException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return ok(reply);
    }

    private static void addIds(ObjectNode reply, String field, List<String> ids) {
        ArrayNode array = reply.putArray(field);
        ids.forEach(array::add);
    }
}
