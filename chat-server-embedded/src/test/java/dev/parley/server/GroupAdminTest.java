package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code group.*} commands over real sockets: replies, {@code conversation} events and errors. */
class GroupAdminTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static String group(WsClient owner, String... members) {
        return owner.ok("conversation.create", "kind", "group", "name", "Team", "memberIds", List.of(members))
                .path("conversation").path("id").asText();
    }

    private static String errorCode(JsonNode reply) {
        return reply.path("error").path("code").asText();
    }

    private static JsonNode send(WsClient client, String conversationId, String clientMsgId) {
        return client.request("send", "conversationId", conversationId, "clientMsgId", clientMsgId,
                "body", Map.of("text", "hi"));
    }

    @Test
    void removedMemberIsToldAndCanNoLongerReadOrWrite() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            server.user("carol");
            String team = group(alice, "bob", "carol");

            alice.ok("group.removeMember", "conversationId", team, "userId", "bob");

            JsonNode event = bob.awaitEvent("conversation",
                    e -> !WsClient.strings(e.path("conversation").path("memberIds")).contains("bob"));
            assertThat(WsClient.strings(event.path("conversation").path("memberIds"))).containsExactly("alice", "carol");
            assertThat(errorCode(send(bob, team, "b-1"))).isEqualTo("forbidden");
            assertThat(errorCode(bob.request("history", "conversationId", team))).isEqualTo("forbidden");
        }
    }

    @Test
    void rolesPermissionsAndInfoAreAnnouncedWithSettings() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String team = group(alice, "bob");
            assertThat(errorCode(bob.request("group.setRole", "conversationId", team, "userId", "alice",
                    "role", "member"))).isEqualTo("forbidden");
            alice.ok("group.setRole", "conversationId", team, "userId", "bob", "role", "admin");
            assertThat(alice.ok("conversation.members", "conversationId", team).path("members").get(1)
                    .path("role").asText()).isEqualTo("admin");

            JsonNode updated = bob.ok("group.setPermissions", "conversationId", team, "whoCanPost", "admins",
                    "slowModeSeconds", 10).path("conversation");
            assertThat(updated.path("settings").path("whoCanPost").asText()).isEqualTo("admins");
            assertThat(updated.path("settings").path("slowModeSeconds").asInt()).isEqualTo(10);
            JsonNode renamed = bob.ok("group.update", "conversationId", team, "name", "Crew",
                    "description", "the crew").path("conversation");
            assertThat(renamed.path("name").asText()).isEqualTo("Crew");
            assertThat(renamed.path("memberIds")).hasSize(2);
            alice.awaitEvent("conversation", e -> e.path("conversation").path("name").asText().equals("Crew")
                    && e.path("conversation").path("settings").path("description").asText().equals("the crew"));
            assertThat(errorCode(bob.request("group.setPermissions", "conversationId", team, "whoCanPost", "some")))
                    .isEqualTo("bad_request");
        }
    }

    @Test
    void mutedMemberGetsForbiddenAndBanKeepsThemOut() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String team = group(alice, "bob");
            JsonNode mute = alice.ok("group.mute", "conversationId", team, "userId", "bob", "seconds", 60);
            assertThat(mute.path("mutedUntil").asText()).endsWith("Z");
            JsonNode refused = send(bob, team, "b-1");
            assertThat(errorCode(refused)).isEqualTo("forbidden");
            assertThat(refused.path("error").path("message").asText()).contains("muted until");
            alice.ok("group.unmute", "conversationId", team, "userId", "bob");
            assertThat(send(bob, team, "b-2").path("ok").asBoolean()).isTrue();

            alice.ok("group.ban", "conversationId", team, "userId", "bob");
            assertThat(errorCode(alice.request("conversation.addMember", "conversationId", team, "userId", "bob")))
                    .isEqualTo("forbidden");
        }
    }

    @Test
    void inviteLinksJoinOnceAndRevokedOnesAreNotFound() {
        try (WsClient alice = server.signedIn("alice"); WsClient dave = server.signedIn("dave");
             WsClient erin = server.signedIn("erin")) {
            String team = group(alice);
            JsonNode invite = alice.ok("group.invite.create", "conversationId", team, "maxUses", 1,
                    "expiresInSeconds", 3600).path("invite");
            String code = invite.path("code").asText();
            assertThat(code).matches("[A-Za-z0-9_-]{22}");
            assertThat(invite.path("maxUses").asInt()).isEqualTo(1);
            assertThat(invite.path("uses").asInt()).isZero();
            assertThat(invite.has("expiresAt")).isTrue();

            JsonNode joined = dave.ok("group.join", "code", code).path("conversation");
            assertThat(joined.path("id").asText()).isEqualTo(team);
            alice.awaitEvent("conversation", e -> WsClient.strings(e.path("conversation").path("memberIds"))
                    .contains("dave"));
            assertThat(errorCode(dave.request("group.join", "code", code))).isEqualTo("not_found");
            assertThat(errorCode(erin.request("group.join", "code", code))).isEqualTo("not_found");

            String open = alice.ok("group.invite.create", "conversationId", team).path("invite").path("code").asText();
            assertThat(errorCode(dave.request("group.join", "code", open))).isEqualTo("conflict");
            alice.ok("group.invite.revoke", "conversationId", team, "code", open);
            assertThat(errorCode(erin.request("group.join", "code", open))).isEqualTo("not_found");
        }
    }

    @Test
    void ownerMustTransferBeforeLeaving() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String team = group(alice, "bob");
            assertThat(errorCode(alice.request("group.leave", "conversationId", team))).isEqualTo("forbidden");
            alice.ok("group.transferOwnership", "conversationId", team, "userId", "bob");
            alice.ok("group.leave", "conversationId", team);
            bob.awaitEvent("conversation", e -> WsClient.strings(e.path("conversation").path("memberIds"))
                    .equals(List.of("bob")));
        }
    }
}
