package dev.parley.broker.nats;

/**
 * Counters of a {@link NatsBroker} since it started ({@link NatsBroker#stats()}).
 *
 * @param published                 deliveries published to NATS (a split delivery counts per part)
 * @param publishFailures           deliveries NATS refused (connection closed, reconnect buffer full); other nodes miss them
 * @param received                  deliveries received from other nodes
 * @param malformed                 payloads on the broker's subjects that could not be read; logged and dropped
 * @param droppedForSlowSubscribers deliveries dropped because a local subscriber's queue was full
 * @param droppedByNats             messages the NATS client dropped because the broker's dispatcher fell behind
 * @param missingFromPublishers     deliveries of other nodes known to be missing from gaps in their numbering
 * @param reconnects                times the NATS connection came back after a loss
 * @param missedSignals             times the {@code onDeliveriesMissed} callbacks were run (coalesced)
 * @param liveNodes                 nodes whose presence this node holds now, this one included
 */
public record NatsBrokerStats(long published, long publishFailures, long received, long malformed,
                              long droppedForSlowSubscribers, long droppedByNats, long missingFromPublishers,
                              long reconnects, long missedSignals, int liveNodes) {
}
