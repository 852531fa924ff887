/**
 * Parley's metrics in Micrometer: {@link dev.parley.micrometer.MicrometerChatMetrics} (see
 * {@code docs/metrics.md}).
 */
package dev.parley.micrometer;
