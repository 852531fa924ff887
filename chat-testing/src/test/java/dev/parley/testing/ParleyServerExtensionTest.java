package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ChatClient;
import dev.parley.client.ConnectionState;
import dev.parley.core.Conversation;
import dev.parley.core.Message;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class ParleyServerExtensionTest {

    /** One server for the class: state stays between tests; clients do not. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @RegisterExtension
        static final ParleyServerExtension parley = ParleyServerExtension.builder().build();
        static URI firstUri;
        static ChatClient firstClient;

        @Test
        @Order(1)
        void clientsAreConnectedAndMessagesFlow() throws Exception {
            List<Message> received = new CopyOnWriteArrayList<>();
            ChatClient alice = parley.client("alice");
            parley.client("bob", new ChatClient.Listener() {
                @Override
                public void onMessage(Message message) {
                    received.add(message);
                }
            });
            Conversation dm = alice.createDirect("bob").get(10, TimeUnit.SECONDS);
            Message sent = alice.send(dm.id(), "hello from a test").get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).containsExactly(sent));
            firstUri = parley.webSocketUri();
            firstClient = alice;
        }

        @Test
        @Order(2)
        void theSameServerServesTheNextTestAndItsClientsWereClosed() {
            assertThat(parley.webSocketUri()).isEqualTo(firstUri);
            assertThat(parley.engine().conversations("alice", 10, null).conversations()).hasSize(1);
            assertThat(firstClient.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    /** Registered on an instance field: a fresh server for every test. */
    @Nested
    class PerTest {
        @RegisterExtension
        final ParleyServerExtension parley = ParleyServerExtension.builder().build();

        @Test
        void startsEmpty() {
            parley.user("carol");
            assertThat(parley.engine().store().findUser("carol")).isPresent();
            assertThat(parley.engine().store().findUser("alice")).isEmpty();
            assertThat(parley.httpUri().toString()).startsWith("http://127.0.0.1:");
        }

        @Test
        void startsEmptyAgain() {
            assertThat(parley.engine().store().findUser("carol")).isEmpty();
        }
    }

    /** With {@code @ExtendWith}, a test takes the server as a parameter. */
    @Nested
    @ExtendWith(ParleyServerExtension.class)
    class AsParameter {
        @Test
        void theServerIsInjected(ParleyServerExtension parley) {
            ChatClient dave = parley.client("dave");
            assertThat(dave.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(parley.token("dave")).isEqualTo("dev:dave");
        }
    }
}
