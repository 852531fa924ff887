package dev.parley.web3;

import java.time.Instant;
import java.util.Objects;

/**
 * A successful sign-in.
 *
 * @param token     bearer token for {@link SiweAuthenticator#authenticate(String)}; only its hash is kept
 * @param userId    the chat user: the EIP-55 checksummed address
 * @param sessionId id of the session, for revocation
 * @param expiresAt the token stops working then
 */
public record SiweLogin(String token, String userId, String sessionId, Instant expiresAt) {
    public SiweLogin {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "SiweLogin[userId=" + userId + ", sessionId=" + sessionId + ", expiresAt=" + expiresAt + "]";
    }
}
