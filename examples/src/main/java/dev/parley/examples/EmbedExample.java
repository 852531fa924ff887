package dev.parley.examples;

import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.MessageBody;
import dev.parley.server.ChatServer;
import java.nio.file.Path;

/**
 * Parley inside a plain Java application in about ten lines: start the server, use the
 * engine directly for server-side work (bots, imports, system messages).
 */
public final class EmbedExample {

    public static void main(String[] args) {
        try (ChatServer server = ChatServer.builder().port(0).dataDir(Path.of("parley-embed-data")).start()) {
            ChatEngine chat = server.engine();
            chat.putUser("support-bot", "Support");
            chat.putUser("alice", "Alice");
            Conversation dm = chat.createDirect("support-bot", "alice");
            chat.sendAndWait("support-bot", dm.id(), "welcome-1", new MessageBody("Welcome, Alice!"), null);
            System.out.println("chat server on " + server.webSocketUri() + ", " + dm.lastSeq() + " → "
                    + chat.history("alice", dm.id(), null, null, 10).messages().size() + " message(s)");
        }
    }

    private EmbedExample() {
    }
}
