package dev.parley.web3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Reads the SIWE vectors in /work/shared/vectors/siwe (or -Dsiwe.vectors=DIR), never edited. */
final class Vectors {
    static final Path DIR = Path.of(System.getProperty("siwe.vectors", "/work/shared/vectors/siwe"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    static JsonNode read(String file) {
        try {
            return JSON.readTree(Files.readString(DIR.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("SIWE vector file missing: " + DIR.resolve(file), e);
        }
    }

    /** One {@code Arguments.of(name, node)} per top-level entry. */
    static Stream<Arguments> cases(String file) {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : read(file).properties()) {
            out.add(Arguments.of(e.getKey(), e.getValue()));
        }
        return out.stream();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Builds a message from a vector's fields object. A chain id that is not a JSON integer
     * cannot be expressed in the {@code long} component at all, so it is reported as the
     * malformed-message failure the constructor would give.
     */
    static SiweMessage fromFields(JsonNode f) {
        JsonNode chain = f.get("chainId");
        if (chain == null || !chain.isIntegralNumber()) {
            throw new SiweException(SiweError.MALFORMED_MESSAGE, "chain id must be a number: " + chain);
        }
        List<String> resources = null;
        if (f.hasNonNull("resources")) {
            resources = new ArrayList<>();
            for (JsonNode r : f.get("resources")) {
                resources.add(r.asText());
            }
        }
        return new SiweMessage(text(f, "scheme"), text(f, "domain"), text(f, "address"), text(f, "statement"),
                text(f, "uri"), text(f, "version"), chain.asLong(), text(f, "nonce"), text(f, "issuedAt"),
                text(f, "expirationTime"), text(f, "notBefore"), text(f, "requestId"), resources);
    }
}
