package dev.parley.server.internal.api;

import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.Authenticator;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the API handlers work with.
 *
 * @param engine        the chat engine (all chat rules)
 * @param authenticator checks bearer tokens (the account service, or the host's authenticator)
 * @param accounts      password accounts, or {@code null}: the account endpoints then answer
 *                      404 {@code not_found}
 * @param accountStore  for username look-ups (user search, profiles), or {@code null}
 * @param codec         the protocol codec (same JSON shapes as the socket)
 * @param sendTimeout   how long {@code POST …/messages} waits for the durable commit
 */
public record ApiContext(ChatEngine engine, Authenticator authenticator, AccountService accounts,
                         AccountStore accountStore, ProtocolCodec codec, Duration sendTimeout) {

    public ApiContext {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
    }

    /** The account service; {@code not_found} when this server has none. */
    AccountService requireAccounts() {
        if (accounts == null) {
            throw ChatException.notFound("accounts are not enabled on this server");
        }
        return accounts;
    }

    /** The account of a user, if accounts are on and the user has one. */
    Optional<Account> account(String userId) {
        if (accountStore != null) {
            return accountStore.account(userId);
        }
        if (accounts == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(accounts.account(userId));
        } catch (ChatException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The account with exactly this username (case-insensitive), if it can be looked up. */
    Optional<Account> accountByUsername(String username) {
        if (accountStore == null || username == null || username.isBlank()) {
            return Optional.empty();
        }
        return accountStore.accountByUsername(username.strip().toLowerCase(Locale.ROOT));
    }
}
