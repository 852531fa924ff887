/**
 * The NATS {@link dev.parley.core.spi.Broker} for clustered Parley: {@link dev.parley.broker.nats.NatsBroker}.
 * See {@code docs/clustering.md}.
 */
package dev.parley.broker.nats;
