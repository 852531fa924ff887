package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rule every builder of this module follows: each option once, nothing after build/start. */
class BuilderRulesTest {
    private final ChatEngine engine = ChatEngine.builder().store(new InMemoryChatStore()).build();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void theEndpointBuilderTakesEachOptionOnceAndNothingAfterBuild() {
        ChatEndpoint.Builder b = ChatEndpoint.builder().engine(engine);
        assertThatThrownBy(() -> b.engine(engine)).isInstanceOf(IllegalStateException.class)
                .hasMessage("engine is already set");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessage("authenticator is required");
        b.authenticator(new DevelopmentAuthenticator(engine));
        try (ChatEndpoint endpoint = b.build()) {
            assertThatThrownBy(() -> b.executor(Runnable::run)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the endpoint is already built; executor cannot change");
            assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessage("build() was already called");
        }
    }

    @Test
    void theHttpApiBuilderRefusesExtensionsAfterBuild() {
        ChatHttpApi.Builder b = ChatHttpApi.builder().engine(engine).authenticator(new DevelopmentAuthenticator(engine));
        assertThatThrownBy(() -> b.maxBodyBytes(1_000).maxBodyBytes(2_000)).isInstanceOf(IllegalStateException.class)
                .hasMessage("maxBodyBytes is already set");
        try (ChatHttpApi api = b.build()) {
            assertThatThrownBy(() -> b.blobStore(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the HTTP API is already built; blobStore cannot change");
        }
        assertThatThrownBy(() -> b.addExtension(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the HTTP API is already built; extensions cannot be added");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessage("build() was already called");
    }

    @Test
    void theServerBuilderNamesTheOptionSetTwice() {
        Executor executor = Runnable::run;
        ChatServer.Builder b = ChatServer.builder().executor(executor);
        assertThatThrownBy(() -> b.executor(executor)).isInstanceOf(IllegalStateException.class)
                .hasMessage("executor is already set");
    }
}
