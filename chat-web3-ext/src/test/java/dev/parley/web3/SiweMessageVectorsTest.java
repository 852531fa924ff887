package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web3.internal.Rfc3986;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EIP-4361 grammar against the reference library's vectors. No case is skipped. */
class SiweMessageVectorsTest {

    static Stream<Arguments> parsingPositive() {
        return Vectors.cases("parsing_positive.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsingPositive")
    void parsesAndWritesBack(String name, JsonNode c) {
        String text = c.get("message").asText();
        SiweMessage expected = Vectors.fromFields(c.get("fields"));

        assertThat(SiweMessage.parse(text)).isEqualTo(expected);
        assertThat(expected.toMessage()).isEqualTo(text);
    }

    static Stream<Arguments> parsingNegative() {
        return Vectors.cases("parsing_negative.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsingNegative")
    void refusesMalformedText(String name, JsonNode c) {
        // "address not EIP-55" (all lower case) fails by the documented strict EIP-55 rule
        assertMalformed(() -> SiweMessage.parse(c.asText()));
    }

    static Stream<Arguments> parsingNegativeObjects() {
        return Vectors.cases("parsing_negative_objects.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsingNegativeObjects")
    void refusesMalformedFields(String name, JsonNode c) {
        assertMalformed(() -> Vectors.fromFields(c));
    }

    static Stream<Arguments> messageObjects() {
        return Vectors.cases("message_objects.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageObjects")
    void messageObjects(String name, JsonNode c) {
        String error = c.get("error").asText();
        if (error.equals("none")) {
            SiweMessage m = Vectors.fromFields(c.get("msg"));
            assertThat(SiweMessage.parse(m.toMessage())).isEqualTo(m);
        } else {
            assertThatThrownBy(() -> Vectors.fromFields(c.get("msg")))
                    .isInstanceOf(SiweException.class)
                    .hasMessageContaining(error);
        }
    }

    static Stream<Arguments> validUris() {
        return Vectors.cases("valid_uris.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validUris")
    void validUris(String name, JsonNode c) {
        SiweMessage m = SiweMessage.parse(c.get("msg").asText());
        Rfc3986.Uri uri = Rfc3986.parseUri(m.uri());
        assertThat(uri).isNotNull();
        JsonNode want = c.get("uri");
        assertComponent(want, "scheme", uri.scheme());
        assertComponent(want, "userinfo", uri.userinfo());
        assertComponent(want, "host", uri.host());
        assertComponent(want, "port", uri.port());
        assertComponent(want, "path", uri.path());
        assertComponent(want, "query", uri.query());
        assertComponent(want, "fragment", uri.fragment());
        assertThat(m.toMessage()).isEqualTo(c.get("msg").asText());
    }

    private static void assertComponent(JsonNode want, String field, String actual) {
        if (want.has(field)) {
            assertThat(actual).as(field).isEqualTo(Vectors.text(want, field));
        }
    }

    static Stream<Arguments> invalidUrisAndResources() {
        return Stream.concat(Vectors.cases("invalid_uris.json"), Vectors.cases("invalid_resources.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUrisAndResources")
    void invalidUrisAndResources(String name, JsonNode c) {
        assertMalformed(() -> SiweMessage.parse(c.asText()));
    }

    static Stream<Arguments> validResources() {
        return Vectors.cases("valid_resources.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validResources")
    void validResources(String name, JsonNode c) {
        SiweMessage m = SiweMessage.parse(c.get("msg").asText());
        assertThat(m.resources()).isEqualTo(list(c.get("resources")));
        assertThat(m.toMessage()).isEqualTo(c.get("msg").asText());
    }

    static Stream<Arguments> validSpecification() {
        return Vectors.cases("valid_specification.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSpecification")
    void presentEmptyOrMissing(String name, JsonNode c) {
        SiweMessage m = SiweMessage.parse(c.get("msg").asText());
        JsonNode items = c.get("items");
        assertThat(m.statement()).isEqualTo(Vectors.text(items, "statement"));
        assertThat(m.requestId()).isEqualTo(Vectors.text(items, "requestId"));
        assertThat(m.resources()).isEqualTo(list(items.get("resources")));
        assertThat(m.toMessage()).isEqualTo(c.get("msg").asText());
    }

    static Stream<Arguments> chars() {
        return Stream.concat(Vectors.cases("valid_chars.json"), Vectors.cases("invalid_chars.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chars")
    void singleRules(String name, JsonNode c) {
        assertThat(Rfc3986.matches(c.get("rule").asText(), c.get("input").asText()))
                .isEqualTo(c.get("answer").asBoolean());
    }

    private static List<String> list(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static void assertMalformed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SiweException.class,
                e -> assertThat(e.reason()).isEqualTo(SiweError.MALFORMED_MESSAGE));
    }
}
