package io.raida.protocol.metrics;

import java.util.Map;

/**
 * The counters of one server's {@link io.raida.protocol.server.ServerStats} as a JMX MXBean (open types
 * only, so jconsole, VisualVM and JMX exporters read it without raida classes). Register one with
 * {@link RaidaJmx#register(io.raida.protocol.server.ServerStats, String)}.
 */
public interface ServerStatsMXBean {

    /** {@return the requests answered over TCP since start} */
    long getTcpRequests();

    /** {@return the requests answered over UDP since start} */
    long getUdpRequests();

    /** {@return the requests answered over both protocols since start} */
    long getRequests();

    /** {@return the requests answered with a status other than 250, 241, 242 or 243} */
    long getErrors();

    /** {@return the requests dropped without a reply (pool or queue exhausted, datagram too short)} */
    long getDrops();

    /** {@return the connections closed because the peer was too slow or silent} */
    long getTimeouts();

    /** {@return the connections refused at the connection limit} */
    long getRejectedConnections();

    /** {@return the TCP connections closed at accept because their source opened them too fast} */
    long getRateLimitedConnections();

    /** {@return the TCP connections closed at accept because their source held its limit of open ones} */
    long getSourceLimitedConnections();

    /** {@return the UDP requests dropped without a reply because their source sent them too fast} */
    long getRateLimitedDatagrams();

    /** {@return the handler calls that threw (answered 252)} */
    long getHandlerFailures();

    /** {@return the TCP connections open now} */
    long getActiveConnections();

    /** {@return the median latency in µs, as the upper bound of its power-of-two bucket} */
    long getLatencyP50Micros();

    /** {@return the 99th-percentile latency in µs, as the upper bound of its power-of-two bucket} */
    long getLatencyP99Micros();

    /**
     * Responses by status, only statuses seen so far.
     *
     * @return status name (or number where the status has no name) to count
     */
    Map<String, Long> getResponsesByStatus();
}
