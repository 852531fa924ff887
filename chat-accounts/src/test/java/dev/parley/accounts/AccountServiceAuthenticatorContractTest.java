package dev.parley.accounts;

import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import dev.parley.tck.AuthenticatorContract;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The password accounts pass the kit's {@link AuthenticatorContract}. */
class AccountServiceAuthenticatorContractTest extends AuthenticatorContract {
    private static final String PASSWORD = "correct horse battery";

    private ChatEngine engine;
    private AccountService accounts;
    private final Map<String, String> userIds = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).build();
        accounts = new AccountService(engine, new InMemoryAccountStore(),
                AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Override
    protected Authenticator authenticator() {
        return accounts;
    }

    @Override
    protected String issueToken(String userId) {
        String username = userId.replace("-", "_");
        userIds.computeIfAbsent(userId, u -> accounts.register(username, PASSWORD, u));
        return ((LoginResult.LoggedIn) accounts.login(username, PASSWORD, "127.0.0.1", "tck")).token();
    }

    @Override
    protected String userIdOf(String requested, Principal principal) {
        return userIds.get(requested);
    }

    @Override
    protected boolean revoke(String token) {
        accounts.logout(token);
        return true;
    }
}
