package io.raida.protocol.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * Who this server's peers are: the one rule every peer-only path follows (page data 14/4, ticket
 * claims 2/50, the votes and ballots a server counts, the fix round). The reference trusts anyone
 * on these paths (D-16, D-17, D-41); here they are <b>denied by default</b>, and a non-peer gets
 * 38 (ERROR_ADMIN_AUTH) or, for votes, is not counted. Callers are matched by source IP address
 * (not port, as clients use ephemeral ports). Requests that did not come from a socket
 * ({@code ServerCore.answer} without a remote address) are permitted only by {@link #anyone()}.
 */
public final class PeerPolicy {
    private static final PeerPolicy NOBODY = new PeerPolicy(Set.of(), false);
    private static final PeerPolicy ANYONE = new PeerPolicy(Set.of(), true);

    private final Set<InetAddress> addresses;
    private final boolean anyone;

    private PeerPolicy(Set<InetAddress> addresses, boolean anyone) {
        this.addresses = addresses;
        this.anyone = anyone;
    }

    /**
     * Nobody (the default).
     *
     * @return the policy that permits no remote source
     */
    public static PeerPolicy nobody() {
        return NOBODY;
    }

    /**
     * Everybody, like the reference server (D-16). Only for closed networks and conformance tests.
     *
     * @return the policy that permits every source
     */
    public static PeerPolicy anyone() {
        return ANYONE;
    }

    /**
     * Exactly these source addresses.
     *
     * @param addresses the permitted addresses
     * @return the policy
     */
    public static PeerPolicy of(Collection<InetAddress> addresses) {
        return new PeerPolicy(Set.copyOf(addresses), false);
    }

    /**
     * The addresses of these endpoints (unresolved host names are refused with their name).
     *
     * @param peers the peers' endpoints; their ports do not matter
     * @return the policy
     */
    public static PeerPolicy ofEndpoints(Collection<InetSocketAddress> peers) {
        Set<InetAddress> a = new java.util.HashSet<>();
        for (InetSocketAddress p : peers) {
            if (p.getAddress() == null) {
                throw new IllegalArgumentException("peer " + p.getHostString() + " does not resolve to an address");
            }
            a.add(p.getAddress());
        }
        return new PeerPolicy(Set.copyOf(a), false);
    }

    /**
     * Whether a request from {@code remote} (null = in memory) comes from a peer.
     *
     * @param remote the request's source, or {@code null}
     * @return {@code true} if it is permitted
     */
    public boolean permits(InetSocketAddress remote) {
        if (anyone) {
            return true;
        }
        return remote != null && remote.getAddress() != null && addresses.contains(remote.getAddress());
    }

    @Override
    public String toString() {
        return anyone ? "PeerPolicy[anyone]" : "PeerPolicy" + addresses;
    }
}
