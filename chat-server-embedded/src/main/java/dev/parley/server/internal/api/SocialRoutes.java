package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.noContent;
import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** {@code /v1/friends/{userId}/…} (friend requests and blocks) and {@code /v1/users} (search, profiles). */
final class SocialRoutes {
    private final ApiContext context;
    private final ChatEngine engine;

    SocialRoutes(ApiContext context) {
        this.context = context;
        this.engine = context.engine();
    }

    void addTo(ApiRouter router) {
        router.post("/v1/friends/{userId}/request", relation(engine::requestFriend))
                .post("/v1/friends/{userId}/accept", relation(engine::acceptFriend))
                .post("/v1/friends/{userId}/decline", relation(engine::declineFriend))
                .post("/v1/friends/{userId}/cancel", relation(engine::cancelFriendRequest))
                .post("/v1/friends/{userId}/remove", relation(engine::removeFriend))
                .post("/v1/friends/{userId}/block", relation(engine::block))
                .post("/v1/friends/{userId}/unblock", relation(engine::unblock))
                .get("/v1/users", this::search)
                .get("/v1/users/{userId}", this::user);
    }

    /** A friend or block action on another user: {@code (callerId, otherId)}, answered 204. */
    private static ApiRouter.Handler relation(BiConsumer<String, String> action) {
        return call -> {
            action.accept(call.userId(), call.path("userId"));
            return noContent();
        };
    }

    /**
     * An exact username match first (the way people find each other), then the engine's
     * display-name matches; at most {@code limit} users.
     */
    private JsonReply search(ApiCall call) {
        String callerId = call.userId();
        String query = call.query("query");
        Integer limit = call.intQuery("limit");
        List<User> byName = engine.searchUsers(callerId, query, limit); // validates query and limit
        int max = limit == null ? engine.limits().defaultPageSize() : limit;
        Map<String, ObjectNode> found = new LinkedHashMap<>();
        Optional<Account> exact = context.accountByUsername(query);
        if (exact.isPresent() && engine.findableBy(callerId, exact.get().userId())) {
            User user = engine.user(exact.get().userId());
            found.put(user.id(), entry(user, exact.get().username()));
        }
        for (User user : byName) {
            if (found.size() >= max) {
                break;
            }
            found.computeIfAbsent(user.id(), id -> entry(user, context.account(id).map(Account::username).orElse(null)));
        }
        ObjectNode reply = object();
        ArrayNode users = reply.putArray("users");
        found.values().forEach(users::add);
        return ok(reply);
    }

    private JsonReply user(ApiCall call) {
        call.principal();
        User user = engine.user(call.path("userId"));
        ObjectNode reply = context.codec().user(user);
        context.account(user.id()).ifPresent(account -> reply.put("username", account.username()));
        return ok(reply);
    }

    private static ObjectNode entry(User user, String username) {
        ObjectNode entry = object().put("id", user.id()).put("name", user.name());
        if (username != null) {
            entry.put("username", username);
        }
        if (user.avatar() != null) {
            entry.put("avatar", user.avatar());
        }
        return entry;
    }
}
