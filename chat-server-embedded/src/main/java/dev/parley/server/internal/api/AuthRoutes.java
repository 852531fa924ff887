package dev.parley.server.internal.api;

import static dev.parley.server.internal.api.Replies.created;
import static dev.parley.server.internal.api.Replies.noContent;
import static dev.parley.server.internal.api.Replies.object;
import static dev.parley.server.internal.api.Replies.ok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.LoginResult;
import dev.parley.accounts.TotpEnrollment;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Principal;
import dev.parley.server.internal.JsonServlet.JsonReply;

/**
 * {@code /v1/auth/*}: registration, login with the optional TOTP step, logout, two-factor
 * enrolment and password change. Every rule (password policy, brute-force delays, code
 * reuse) is {@link AccountService}'s.
 */
final class AuthRoutes {
    private final ApiContext context;

    AuthRoutes(ApiContext context) {
        this.context = context;
    }

    void addTo(ApiRouter router) {
        router.post("/v1/auth/register", this::register)
                .post("/v1/auth/login", this::login)
                .post("/v1/auth/login/totp", this::loginTotp)
                .post("/v1/auth/logout", this::logout)
                .post("/v1/auth/totp/enroll", this::enrollTotp)
                .post("/v1/auth/totp/confirm", this::confirmTotp)
                .post("/v1/auth/totp/disable", this::disableTotp)
                .post("/v1/auth/password", this::changePassword);
    }

    private JsonReply register(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        JsonFields body = call.body();
        String userId = accounts.register(body.requiredString("username"), body.requiredString("password"),
                body.string("displayName"));
        return created(object().put("userId", userId));
    }

    private JsonReply login(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        JsonFields body = call.body();
        LoginResult result = accounts.login(body.requiredString("username"), body.requiredString("password"),
                call.address(), call.client());
        return ok(encode(result));
    }

    private JsonReply loginTotp(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        JsonFields body = call.body();
        return ok(encode(accounts.loginTotp(body.requiredString("challengeId"), body.string("code"),
                body.string("recoveryCode"))));
    }

    private JsonReply logout(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        call.principal(); // an invalid token is a 401, not a silent success
        accounts.logout(call.bearerToken());
        return noContent();
    }

    private JsonReply enrollTotp(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        TotpEnrollment enrollment = accounts.enrollTotp(call.userId());
        return ok(object().put("secret", enrollment.secret()).put("otpauthUri", enrollment.otpauthUri()));
    }

    private JsonReply confirmTotp(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        String userId = call.userId();
        ObjectNode reply = object();
        ArrayNode codes = reply.putArray("recoveryCodes");
        accounts.confirmTotp(userId, call.body().requiredString("code")).forEach(codes::add);
        return ok(reply);
    }

    private JsonReply disableTotp(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        accounts.disableTotp(call.userId(), call.body().requiredString("code"));
        return noContent();
    }

    private JsonReply changePassword(ApiCall call) {
        AccountService accounts = context.requireAccounts();
        Principal caller = call.principal();
        JsonFields body = call.body();
        accounts.changePassword(caller.userId(), caller.sessionId(), body.requiredString("currentPassword"),
                body.requiredString("newPassword"));
        return noContent();
    }

    private static ObjectNode encode(LoginResult result) {
        if (result instanceof LoginResult.LoggedIn in) {
            return object().put("token", in.token()).put("userId", in.userId()).put("sessionId", in.sessionId())
                    .put("expiresAt", ProtocolCodec.TIME.format(in.expiresAt()));
        }
        LoginResult.TotpRequired challenge = (LoginResult.TotpRequired) result;
        return object().put("challenge", "totp").put("challengeId", challenge.challengeId());
    }
}
