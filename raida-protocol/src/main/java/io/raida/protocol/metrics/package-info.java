/**
 * Operator-facing views of server and cluster-client counters: {@link io.raida.protocol.metrics.RaidaJmx}
 * (JMX, JDK only)
 * and {@link io.raida.protocol.metrics.RaidaMeterBinder} (Micrometer, an optional dependency).
 */
package io.raida.protocol.metrics;
