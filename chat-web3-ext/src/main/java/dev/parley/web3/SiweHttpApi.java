package dev.parley.web3;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.LoginResult;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.ApiExtension;
import dev.parley.core.spi.Principal;
import dev.parley.web3.chain.ChainEnsLookup;
import dev.parley.web3.chain.Chains;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The HTTP routes of {@link WalletSignIn}, as an {@link ApiExtension} of the Parley HTTP API
 * (listed in {@code docs/http-api.md}):
 * <ul>
 *   <li>{@code POST /api/v1/auth/siwe/nonce} → {@code {nonce}};</li>
 *   <li>{@code POST /api/v1/auth/siwe/login} {@code {message, signature}} → the reply of a password login;</li>
 *   <li>{@code POST /api/v1/me/wallets/nonce}, {@code POST /api/v1/me/wallets} {@code {message, signature}},
 *       {@code GET /api/v1/me/wallets}, {@code DELETE /api/v1/me/wallets/{address}}: link, list, unlink;</li>
 *   <li>{@code GET /api/v1/users/{userId}/wallets}: the wallets on a user's profile.</li>
 * </ul>
 *
 * <pre>{@code
 * ChatServer server = ChatServer.builder()
 *         .addApiExtension(SiweHttpApi.extension(SiweSettings.builder()
 *                 .domain("chat.example.com").uri("https://chat.example.com").build()))
 *         .start();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SiweHttpApi implements ApiExtension {
    private final WalletSignIn wallets;

    public SiweHttpApi(WalletSignIn wallets) {
        this.wallets = Objects.requireNonNull(wallets, "wallets");
    }

    /**
     * For {@code ChatServer.Builder.addApiExtension}: the routes over the server's own account
     * service, without ENS names.
     */
    public static Function<AccountService, ApiExtension> extension(SiweSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return accounts -> new SiweHttpApi(new WalletSignIn(accounts, settings));
    }

    /**
     * As {@link #extension(SiweSettings)}, with contract wallets (ERC-1271, asked on the
     * message's chain through {@code chains}) and ENS names from {@code ens}
     * ({@link EnsLookup#none()} for none, {@code ChainEnsLookup} to look them up on the chain):
     * <pre>{@code
     * ChatServer.builder().addApiExtension(SiweHttpApi.extension(siwe, chains, new ChainEnsLookup(chains)))
     * }</pre>
     *
     * @since 0.1.0
     */
    public static Function<AccountService, ApiExtension> extension(SiweSettings settings, Chains chains,
                                                                  EnsLookup ens) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(chains, "chains");
        Objects.requireNonNull(ens, "ens");
        return accounts -> new SiweHttpApi(new WalletSignIn(accounts, settings, ens, chains));
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.post("/v1/auth/siwe/nonce", this::nonce)
                .post("/v1/auth/siwe/login", this::login)
                .post("/v1/me/wallets/nonce", this::linkNonce)
                .post("/v1/me/wallets", this::link)
                .get("/v1/me/wallets", request -> list(request.principal().userId()))
                .delete("/v1/me/wallets/{address}", this::unlink)
                .get("/v1/users/{userId}/wallets", request -> {
                    request.principal();
                    return list(request.path("userId"));
                });
    }

    private Reply nonce(Request request) {
        return Reply.ok(object().put("nonce", wallets.issueNonce()));
    }

    private Reply login(Request request) {
        LoginResult result = wallets.signIn(request.requiredString("message"), request.requiredString("signature"),
                request.client(), request.address());
        if (result instanceof LoginResult.LoggedIn in) {
            return Reply.ok(object().put("token", in.token()).put("userId", in.userId())
                    .put("sessionId", in.sessionId()).put("expiresAt", time(in.expiresAt())));
        }
        LoginResult.TotpRequired challenge = (LoginResult.TotpRequired) result;
        return Reply.ok(object().put("challenge", "totp").put("challengeId", challenge.challengeId()));
    }

    private Reply linkNonce(Request request) {
        return Reply.ok(object().put("nonce", wallets.issueLinkNonce(request.principal().userId())));
    }

    private Reply link(Request request) {
        Principal caller = request.principal();
        Wallet wallet = wallets.link(caller.userId(), request.requiredString("message"),
                request.requiredString("signature"));
        return Reply.created(encode(wallet));
    }

    private Reply unlink(Request request) {
        wallets.unlink(request.principal().userId(), request.path("address"));
        return Reply.noContent();
    }

    private Reply list(String userId) {
        List<Wallet> list = wallets.wallets(userId);
        ObjectNode reply = object();
        ArrayNode items = reply.putArray("wallets");
        list.forEach(w -> items.add(encode(w)));
        return Reply.ok(reply);
    }

    private static ObjectNode encode(Wallet wallet) {
        return object().put("address", wallet.address()).put("ensName", wallet.ensName())
                .put("linkedAt", time(wallet.linkedAt()));
    }

    private static String time(Instant instant) {
        return ProtocolCodec.TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
