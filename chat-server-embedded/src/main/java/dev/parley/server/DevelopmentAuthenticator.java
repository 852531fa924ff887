package dev.parley.server;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.User;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * <strong>FOR TESTS AND DEVELOPMENT ONLY — anyone can be anyone.</strong> Accepts the token
 * {@code dev:<userId>} for any user id the engine accepts (1 to 64 characters of
 * {@code A-Z a-z 0-9 _ . : @ -}) and creates the user, named after its id, on first use.
 * {@link ChatServer} falls back to it, with a warning in the log, only when no authenticator is
 * set and the store keeps no accounts (does not implement {@link dev.parley.core.spi.AccountStore});
 * set it explicitly with {@code ChatServer.builder().engine(engine).authenticator(new DevelopmentAuthenticator(engine))}.
 *
 * <pre>{@code
 * {"id":1,"type":"hello","token":"dev:alice"}
 * }</pre>
 */
public final class DevelopmentAuthenticator implements Authenticator {
    /** Prefix of the tokens this authenticator accepts. */
    public static final String PREFIX = "dev:";

    private final ChatEngine engine;

    public DevelopmentAuthenticator(ChatEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The token that signs in as {@code userId}. */
    public static String token(String userId) {
        return PREFIX + userId;
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String userId = token.substring(PREFIX.length());
        try {
            User user;
            try {
                user = engine.user(userId);
            } catch (ChatException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                user = engine.putUser(userId, userId);
            }
            return Optional.of(new Principal(user.id(), user.name()));
        } catch (ChatException e) {
            if (e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
