/** Implementation of the NATS broker; not API, may change in any release. */
package dev.parley.broker.nats.internal;
