package io.raida.protocol.cluster;

/** Which transports a {@link RaidaCluster} uses for each RAIDA. */
public enum ProtocolPolicy {
    /** Every attempt over UDP (requests above the UDP threshold are sent anyway and refused with 16). */
    UDP_ONLY,
    /** Every attempt over TCP. */
    TCP_ONLY,
    /**
     * UDP first; TCP at once for a request larger than the UDP payload threshold, and for every
     * attempt after a UDP attempt of that RAIDA timed out or was refused.
     */
    UDP_THEN_TCP
}
