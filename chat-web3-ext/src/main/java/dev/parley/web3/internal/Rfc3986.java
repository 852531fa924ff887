package dev.parley.web3.internal;

/**
 * RFC 3986 syntax as EIP-4361 uses it: whole URIs (split into components), authorities and
 * the single ABNF rules the SIWE grammar vectors exercise. Pure syntax: no normalisation,
 * no decoding.
 *
 * <p>One deliberate leniency, taken from the SIWE vectors: an IPv4 part inside an IPv6
 * literal may have leading zeros ({@code ::000.000.010.001}), as uri-js accepts; each octet
 * is still at most three digits and at most 255.
 */
public final class Rfc3986 {
    private Rfc3986() {
    }

    /** Components of a URI; {@code null} means the component is absent. */
    public record Uri(String scheme, String userinfo, String host, String port, String path, String query,
                      String fragment) {
    }

    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final String GEN_DELIMS = ":/?#[]@";

    /** @return the components, or {@code null} when {@code s} is not an RFC 3986 {@code URI} */
    public static Uri parseUri(String s) {
        if (s == null) {
            return null;
        }
        int colon = s.indexOf(':');
        if (colon < 0 || !isScheme(s.substring(0, colon))) {
            return null;
        }
        String scheme = s.substring(0, colon);
        String rest = s.substring(colon + 1);
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
            if (!isQueryOrFragment(fragment)) {
                return null;
            }
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
            if (!isQueryOrFragment(query)) {
                return null;
            }
        }
        String userinfo = null;
        String host = null;
        String port = null;
        String path;
        if (rest.startsWith("//")) {
            String afterSlashes = rest.substring(2);
            int slash = afterSlashes.indexOf('/');
            String authority = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
            path = slash < 0 ? "" : afterSlashes.substring(slash);
            Authority a = parseAuthority(authority);
            if (a == null) {
                return null;
            }
            userinfo = a.userinfo;
            host = a.host;
            port = a.port;
        } else {
            path = rest;
        }
        if (!isPath(path)) {
            return null;
        }
        return new Uri(scheme, userinfo, host, port, path, query, fragment);
    }

    /** @return whether {@code s} is an RFC 3986 {@code authority} */
    public static boolean isAuthority(String s) {
        return s != null && parseAuthority(s) != null;
    }

    private record Authority(String userinfo, String host, String port) {
    }

    private static Authority parseAuthority(String s) {
        String userinfo = null;
        String hostPort = s;
        int at = s.indexOf('@');
        if (at >= 0) {
            userinfo = s.substring(0, at);
            hostPort = s.substring(at + 1);
            if (!isUserinfo(userinfo)) {
                return null;
            }
        }
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = hostPort.substring(1, close);
            if (!isIpv6(host) && !isIpvFuture(host)) {
                return null;
            }
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    return null;
                }
                port = after.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = hostPort.substring(colon + 1);
            }
            // IPv4address is a subset of reg-name's characters, so reg-name covers both
            if (!isRegName(host)) {
                return null;
            }
        }
        if (port != null && !port.chars().allMatch(Rfc3986::isDigit)) {
            return null;
        }
        return new Authority(userinfo, host, port);
    }

    /**
     * Whether {@code input} matches the named ABNF rule. Rules: {@code scheme},
     * {@code statement} (EIP-4361), {@code pct-encoded}, {@code userinfo}, {@code IPvFuture},
     * {@code reg-name}, {@code segment-nz}, {@code fragment}, {@code query}.
     *
     * @throws IllegalArgumentException for an unknown rule name
     */
    public static boolean matches(String rule, String input) {
        return switch (rule) {
            case "scheme" -> isScheme(input);
            case "statement" -> isStatement(input);
            case "pct-encoded" -> input.length() == 3 && input.charAt(0) == '%' && isHex(input.charAt(1))
                    && isHex(input.charAt(2));
            case "userinfo" -> isUserinfo(input);
            case "IPvFuture" -> isIpvFuture(input);
            case "reg-name" -> isRegName(input);
            case "segment-nz" -> !input.isEmpty() && chars(input, SUB_DELIMS + ":@");
            case "fragment", "query" -> isQueryOrFragment(input);
            default -> throw new IllegalArgumentException("unknown rule " + rule);
        };
    }

    /** EIP-4361 {@code statement = *( reserved / unreserved / " " )}. */
    public static boolean isStatement(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUnreserved(c) && GEN_DELIMS.indexOf(c) < 0 && SUB_DELIMS.indexOf(c) < 0 && c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** {@code *pchar}, as EIP-4361's {@code request-id}. */
    public static boolean isPchars(String s) {
        return chars(s, SUB_DELIMS + ":@");
    }

    static boolean isScheme(String s) {
        if (s.isEmpty() || !isAlpha(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUserinfo(String s) {
        return chars(s, SUB_DELIMS + ":");
    }

    private static boolean isRegName(String s) {
        return chars(s, SUB_DELIMS);
    }

    private static boolean isQueryOrFragment(String s) {
        return chars(s, SUB_DELIMS + ":@/?");
    }

    private static boolean isPath(String s) {
        // path-abempty, path-absolute, path-rootless and path-empty: pchars and slashes
        // (a path never starts with "//" here: that prefix was taken as an authority)
        return chars(s, SUB_DELIMS + ":@/");
    }

    private static boolean isIpvFuture(String s) {
        if (s.length() < 4 || (s.charAt(0) != 'v' && s.charAt(0) != 'V')) {
            return false;
        }
        int dot = s.indexOf('.');
        if (dot < 2) {
            return false;
        }
        for (int i = 1; i < dot; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        String tail = s.substring(dot + 1);
        if (tail.isEmpty()) {
            return false;
        }
        for (int i = 0; i < tail.length(); i++) {
            char c = tail.charAt(i);
            if (!isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0 && c != ':') {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        int dc = s.indexOf("::");
        if (dc < 0) {
            return groups(s, true) == 8;
        }
        if (s.indexOf("::", dc + 1) >= 0) {
            return false;
        }
        String head = s.substring(0, dc);
        String tail = s.substring(dc + 2);
        int h = head.isEmpty() ? 0 : groups(head, false);
        int t = tail.isEmpty() ? 0 : groups(tail, true);
        return h >= 0 && t >= 0 && h + t <= 7;
    }

    /** Counts 16-bit groups in {@code h16 *(":" h16)}, an IPv4 tail counting two; -1 if invalid. */
    private static int groups(String s, boolean ipv4Tail) {
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (ipv4Tail && i == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!isIpv4(p)) {
                    return -1;
                }
                n += 2;
            } else if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> isHex((char) c))) {
                return -1;
            } else {
                n++;
            }
        }
        return n;
    }

    private static boolean isIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Rfc3986::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** unreserved, pct-encoded and the extra characters. */
    private static boolean chars(String s, String extra) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
