package dev.parley.web3;

import dev.parley.web3.internal.DateTimes;
import dev.parley.web3.internal.Rfc3986;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Keys;

/**
 * An EIP-4361 (Sign-In with Ethereum) message. The compact constructor validates every field
 * against the EIP's ABNF, so an instance is always well formed; {@link #parse(String)} reads
 * the text a wallet signed and {@link #toMessage()} writes it back byte for byte.
 *
 * <p>Rules beyond the plain ABNF, written down here:
 * <ul>
 *   <li>the address must carry a valid EIP-55 checksum; an all-lower-case or all-upper-case
 *       address is refused too (the ABNF comment says "MUST ... where applicable"; siwe 3.x
 *       refuses it as well);</li>
 *   <li>the domain must not be empty; the chain id has no leading zeros (so that it writes
 *       back unchanged) and fits a {@code long};</li>
 *   <li>times are RFC 3339 {@code date-time}s kept as written (so the text round-trips);
 *       {@link #issuedAtInstant()} and friends give the instants.</li>
 * </ul>
 * Errors are {@link SiweException}s with reason {@link SiweError#MALFORMED_MESSAGE}.
 *
 * @param scheme         optional scheme before the domain ({@code https}), or {@code null}
 * @param domain         RFC 3986 authority asking for the sign-in
 * @param address        EIP-55 checksummed {@code 0x} address
 * @param statement      one line for the user, or {@code null} (absent; {@code ""} is present and empty)
 * @param uri            RFC 3986 URI the sign-in is for
 * @param version        always {@code "1"}
 * @param chainId        EIP-155 chain id
 * @param nonce          at least 8 ASCII letters and digits
 * @param issuedAt       RFC 3339 date-time
 * @param expirationTime RFC 3339 date-time, or {@code null}
 * @param notBefore      RFC 3339 date-time, or {@code null}
 * @param requestId      {@code *pchar}, or {@code null}
 * @param resources      RFC 3986 URIs, or {@code null} when the "Resources:" section is absent
 *                       (an empty list writes an empty section)
 */
public record SiweMessage(String scheme, String domain, String address, String statement, String uri,
                          String version, long chainId, String nonce, String issuedAt, String expirationTime,
                          String notBefore, String requestId, List<String> resources) {

    static final String HEADER_SUFFIX = " wants you to sign in with your Ethereum account:";

    public SiweMessage {
        if (scheme != null && !Rfc3986.matches("scheme", scheme)) {
            throw malformed("invalid scheme");
        }
        if (domain == null || domain.isEmpty() || !Rfc3986.isAuthority(domain)) {
            throw malformed("domain must be an RFC 3986 authority");
        }
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw malformed("address must be 0x and 40 hex digits");
        }
        if (!Keys.toChecksumAddress(address).equals(address)) {
            throw malformed("invalid EIP-55 address");
        }
        if (statement != null && !Rfc3986.isStatement(statement)) {
            throw malformed("statement must be one line of reserved, unreserved and space characters");
        }
        if (uri == null || Rfc3986.parseUri(uri) == null) {
            throw malformed("uri must be an RFC 3986 URI");
        }
        if (!"1".equals(version)) {
            throw malformed("version must be 1");
        }
        if (chainId < 0) {
            throw malformed("chain id must not be negative");
        }
        if (nonce == null || !nonce.matches("[A-Za-z0-9]{8,}")) {
            throw malformed("nonce must be at least 8 letters and digits");
        }
        if (issuedAt == null) {
            throw malformed("issued-at is required");
        }
        checkTime(issuedAt, "issued-at");
        if (expirationTime != null) {
            checkTime(expirationTime, "expiration-time");
        }
        if (notBefore != null) {
            checkTime(notBefore, "not-before");
        }
        if (requestId != null && !Rfc3986.isPchars(requestId)) {
            throw malformed("request id must be *pchar");
        }
        if (resources != null) {
            resources = List.copyOf(resources);
            for (String r : resources) {
                if (Rfc3986.parseUri(r) == null) {
                    throw malformed("invalid resource URI: " + r);
                }
            }
        }
    }

    /**
     * Reads a message as a wallet signed it.
     *
     * @throws SiweException with {@link SiweError#MALFORMED_MESSAGE} when it does not follow EIP-4361
     */
    public static SiweMessage parse(String text) {
        if (text == null) {
            throw malformed("message is missing");
        }
        String[] lines = text.split("\n", -1);
        int i = 0;
        String header = line(lines, i++);
        if (!header.endsWith(HEADER_SUFFIX)) {
            throw malformed("first line must be '<domain>" + HEADER_SUFFIX + "'");
        }
        String authority = header.substring(0, header.length() - HEADER_SUFFIX.length());
        String scheme = null;
        int sep = authority.indexOf("://");
        if (sep >= 0) {
            scheme = authority.substring(0, sep);
            authority = authority.substring(sep + 3);
        }
        String address = line(lines, i++);
        if (!line(lines, i++).isEmpty()) {
            throw malformed("an empty line must follow the address");
        }
        String statement = null;
        if (line(lines, i).isEmpty() && line(lines, i + 1).startsWith("URI: ")) {
            i++;
        } else {
            statement = line(lines, i++);
            if (!line(lines, i++).isEmpty()) {
                throw malformed("statement must be a single line followed by an empty line");
            }
        }
        String uri = field(lines, i++, "URI: ");
        String version = field(lines, i++, "Version: ");
        String chain = field(lines, i++, "Chain ID: ");
        if (!chain.matches("0|[1-9][0-9]{0,18}")) {
            throw malformed("chain id must be a decimal number without leading zeros");
        }
        long chainId;
        try {
            chainId = Long.parseLong(chain);
        } catch (NumberFormatException e) {
            throw malformed("chain id too large");
        }
        String nonce = field(lines, i++, "Nonce: ");
        String issuedAt = field(lines, i++, "Issued At: ");
        String expirationTime = optional(lines, i, "Expiration Time: ");
        i += expirationTime == null ? 0 : 1;
        String notBefore = optional(lines, i, "Not Before: ");
        i += notBefore == null ? 0 : 1;
        String requestId = optional(lines, i, "Request ID: ");
        i += requestId == null ? 0 : 1;
        List<String> resources = null;
        if (i < lines.length && lines[i].equals("Resources:")) {
            i++;
            resources = new ArrayList<>();
            while (i < lines.length && lines[i].startsWith("- ")) {
                resources.add(lines[i++].substring(2));
            }
        }
        if (i != lines.length) {
            throw malformed("unexpected line " + (i + 1) + " (fields out of order, or trailing text)");
        }
        return new SiweMessage(scheme, authority, address, statement, uri, version, chainId, nonce, issuedAt,
                expirationTime, notBefore, requestId, resources);
    }

    /** The exact EIP-4361 text to sign. */
    public String toMessage() {
        StringBuilder sb = new StringBuilder();
        if (scheme != null) {
            sb.append(scheme).append("://");
        }
        sb.append(domain).append(HEADER_SUFFIX).append('\n').append(address).append("\n\n");
        if (statement != null) {
            sb.append(statement).append('\n');
        }
        sb.append('\n');
        sb.append("URI: ").append(uri).append('\n');
        sb.append("Version: ").append(version).append('\n');
        sb.append("Chain ID: ").append(chainId).append('\n');
        sb.append("Nonce: ").append(nonce).append('\n');
        sb.append("Issued At: ").append(issuedAt);
        if (expirationTime != null) {
            sb.append("\nExpiration Time: ").append(expirationTime);
        }
        if (notBefore != null) {
            sb.append("\nNot Before: ").append(notBefore);
        }
        if (requestId != null) {
            sb.append("\nRequest ID: ").append(requestId);
        }
        if (resources != null) {
            sb.append("\nResources:");
            for (String r : resources) {
                sb.append("\n- ").append(r);
            }
        }
        return sb.toString();
    }

    /** {@link #issuedAt()} as an instant. */
    public Instant issuedAtInstant() {
        return instant(issuedAt, "issued-at");
    }

    /** {@link #expirationTime()} as an instant, or {@code null}. */
    public Instant expirationTimeInstant() {
        return expirationTime == null ? null : instant(expirationTime, "expiration-time");
    }

    /** {@link #notBefore()} as an instant, or {@code null}. */
    public Instant notBeforeInstant() {
        return notBefore == null ? null : instant(notBefore, "not-before");
    }

    private static Instant instant(String value, String name) {
        try {
            return DateTimes.parse(value).toInstant();
        } catch (DateTimes.InvalidDateTime e) {
            throw new IllegalStateException(name + " was validated", e);
        }
    }

    private static void checkTime(String value, String name) {
        try {
            DateTimes.parse(value);
        } catch (DateTimes.InvalidDateTime e) {
            throw malformed("invalid " + name + " date time " + e.getMessage() + ": " + value);
        }
    }

    private static String line(String[] lines, int i) {
        return i < lines.length ? lines[i] : "";
    }

    private static String field(String[] lines, int i, String prefix) {
        String l = line(lines, i);
        if (!l.startsWith(prefix)) {
            throw malformed("line " + (i + 1) + " must start with '" + prefix + "'");
        }
        return l.substring(prefix.length());
    }

    private static String optional(String[] lines, int i, String prefix) {
        return i < lines.length && lines[i].startsWith(prefix) ? lines[i].substring(prefix.length()) : null;
    }

    private static SiweException malformed(String message) {
        return new SiweException(SiweError.MALFORMED_MESSAGE, message);
    }
}
