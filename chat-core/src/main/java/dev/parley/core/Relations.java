package dev.parley.core;

import java.util.List;

/**
 * A user's friends, pending requests and blocks.
 *
 * @param friends  user ids of friends
 * @param incoming users who asked the caller to be friends
 * @param outgoing users the caller asked
 * @param blocked  users the caller blocked
 */
public record Relations(List<String> friends, List<String> incoming, List<String> outgoing, List<String> blocked) {
    public Relations {
        friends = List.copyOf(friends);
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
        blocked = List.copyOf(blocked);
    }
}
