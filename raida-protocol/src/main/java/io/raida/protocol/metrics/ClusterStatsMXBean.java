package io.raida.protocol.metrics;

import java.util.Map;

/**
 * The outcome counters of one {@link io.raida.protocol.cluster.RaidaCluster} as a JMX MXBean (open types
 * only, so jconsole, VisualVM and JMX exporters read it without raida classes). Register one with
 * {@link RaidaJmx#register(io.raida.protocol.cluster.RaidaCluster, String)}; the values are those of
 * {@link io.raida.protocol.cluster.ClusterStats}.
 */
public interface ClusterStatsMXBean {

    /** {@return the fan-outs (rounds of requests to the 25 RAIDA) started, including those still running} */
    long getFanOuts();

    /** {@return the fan-outs that completed with a reply, early or not} */
    long getFanOutsCompleted();

    /** {@return the fan-outs a decision rule completed before every RAIDA had ended} */
    long getFanOutsDecidedEarly();

    /** {@return the fan-outs cancelled by their caller or failed (e.g. the cluster closed)} */
    long getFanOutsFailed();

    /** {@return the RAIDA that replied with a status (any status), over every settled fan-out} */
    long getReplies();

    /** {@return the replies received over TCP (large frames, TCP-only, fallbacks after a UDP timeout)} */
    long getRepliesOverTcp();

    /** {@return the replies received over UDP} */
    long getRepliesOverUdp();

    /** {@return the RAIDA that gave no reply within their attempt timeouts or the deadline} */
    long getTimeouts();

    /** {@return the RAIDA that refused the connection or datagram (nothing listening)} */
    long getRefused();

    /** {@return the RAIDA whose reply did not verify, decrypt or fit the request} */
    long getVerificationFailures();

    /** {@return the RAIDA that ended with another network or client error} */
    long getErrors();

    /** {@return the RAIDA stopped before they ended (fan-out decided early and stragglers cancelled, or closed)} */
    long getCancelled();

    /** {@return the requests sent to RAIDA in settled fan-outs, retries included, calibrations excluded} */
    long getAttempts();

    /** {@return the calibration requests sent to learn a RAIDA's keystream mode} */
    long getCalibrationRequests();

    /** {@return the requests waiting for a reply now, calibration requests included} */
    long getInFlight();

    /**
     * Final per-RAIDA outcomes by kind, every kind listed (PENDING is never final and stays 0).
     *
     * @return outcome kind name ({@code STATUS}, {@code TIMEOUT}, ...) to count
     */
    Map<String, Long> getOutcomesByKind();
}
