package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.noContent;
import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Account;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.List;

/** {@code /v1/admin/users…}: list, disable/enable, grant/revoke admin, delete. {@link AccountService} checks the admin role. */
final class AdminRoutes {
    private static final int DEFAULT_LIMIT = 50;

    private final ApiContext context;
    private final ChatEngine engine;

    AdminRoutes(ApiContext context) {
        this.context = context;
        this.engine = context.engine();
    }

    void addTo(ApiRouter router) {
        router.get("/v1/admin/users", this::list)
                .post("/v1/admin/users/{userId}/disable", call -> setDisabled(call, true))
                .post("/v1/admin/users/{userId}/enable", call -> setDisabled(call, false))
                .post("/v1/admin/users/{userId}/role", this::setRole)
                .delete("/v1/admin/users/{userId}", this::delete);
    }

    private JsonReply list(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        Integer limit = call.intQuery("limit");
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        List<Account> page = accounts.accounts(call.userId(), pageSize, emptyToNull(call.query("after")));
        ObjectNode reply = object();
        ArrayNode users = reply.putArray("users");
        for (Account account : page) {
            ObjectNode entry = users.addObject()
                    .put("id", account.userId())
                    .put("username", account.username());
            engine.store().findUser(account.userId()).ifPresent(user -> entry.put("name", user.name()));
            entry.put("admin", account.admin())
                    .put("disabled", account.disabled())
                    .put("createdAt", ProtocolCodec.TIME.format(account.createdAt()));
        }
        if (page.size() == pageSize) {
            reply.put("next", page.get(page.size() - 1).userId());
        }
        return ok(reply);
    }

    private JsonReply setDisabled(ApiCall call, boolean disabled) {
        AccountService accounts = context.requireAccounts();
        accounts.setDisabled(call.userId(), call.path("userId"), disabled);
        return noContent();
    }

    private JsonReply setRole(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        String adminId = call.userId();
        accounts.setAdmin(adminId, call.path("userId"), call.body().requiredBool("admin"));
        return noContent();
    }

    private JsonReply delete(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        String adminId = call.userId();
        accounts.requireAdmin(adminId); // deleteAccount lets users delete themselves; this path is for admins only
        accounts.deleteAccount(adminId, call.path("userId"));
        return noContent();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
