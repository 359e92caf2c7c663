package io.raida.protocol.cluster;

import io.raida.protocol.Transport;

/**
 * Which transport an attempt at one RAIDA takes under a {@link ProtocolPolicy}, and when a RAIDA
 * moves from UDP to TCP for the rest of a fan-out.
 */
final class TransportChoice {
    private TransportChoice() {
    }

    /**
     * @param policy       the cluster's policy
     * @param tcp          whether this RAIDA already moved to TCP
     * @param length       the request's bytes
     * @param udpThreshold the largest request sent over UDP under {@link ProtocolPolicy#UDP_THEN_TCP}
     * @return the transport of the request
     */
    static Transport forRequest(ProtocolPolicy policy, boolean tcp, int length, int udpThreshold) {
        switch (policy) {
            case UDP_ONLY:
                return Transport.UDP;
            case TCP_ONLY:
                return Transport.TCP;
            default:
                return tcp || length > udpThreshold ? Transport.TCP : Transport.UDP;
        }
    }

    /**
     * The transport of a keystream calibration (its echo request is small, so only the policy and
     * an earlier move to TCP decide).
     *
     * @param policy the cluster's policy
     * @param tcp    whether this RAIDA already moved to TCP
     * @return the transport
     */
    static Transport forCalibration(ProtocolPolicy policy, boolean tcp) {
        return policy == ProtocolPolicy.TCP_ONLY || tcp ? Transport.TCP : Transport.UDP;
    }

    /**
     * Whether a failed attempt over {@code t} moves the RAIDA to TCP: only a UDP failure, only under
     * {@link ProtocolPolicy#UDP_THEN_TCP}, only once.
     *
     * @param policy the cluster's policy
     * @param t      the transport of the failed attempt
     * @param tcp    whether this RAIDA already moved to TCP
     * @return whether to move now (and retry at once)
     */
    static boolean movesToTcp(ProtocolPolicy policy, Transport t, boolean tcp) {
        return t == Transport.UDP && policy == ProtocolPolicy.UDP_THEN_TCP && !tcp;
    }
}
