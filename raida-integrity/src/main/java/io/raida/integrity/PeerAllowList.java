package io.raida.integrity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * Who may call command 14/4 (get page data). The reply carries raw pages, i.e. the ANs (ownership
 * secrets) of every coin on the page, and the reference serves it to anyone (D-16). Here it is
 * <b>denied by default</b>; callers are matched by source IP address (not port, as clients use
 * ephemeral ports). Requests that did not come from a socket ({@link io.raida.protocol.server.ServerCore#answer}
 * without a remote address) are permitted only by {@link #anyone()}.
 */
public final class PeerAllowList {
    private static final PeerAllowList NOBODY = new PeerAllowList(Set.of(), false);
    private static final PeerAllowList ANYONE = new PeerAllowList(Set.of(), true);

    private final Set<InetAddress> addresses;
    private final boolean anyone;

    private PeerAllowList(Set<InetAddress> addresses, boolean anyone) {
        this.addresses = addresses;
        this.anyone = anyone;
    }

    /** Nobody (the default). */
    public static PeerAllowList nobody() {
        return NOBODY;
    }

    /** Everybody, like the reference server (D-16). Only for closed networks and conformance tests. */
    public static PeerAllowList anyone() {
        return ANYONE;
    }

    /** Exactly these source addresses. */
    public static PeerAllowList of(Collection<InetAddress> addresses) {
        return new PeerAllowList(Set.copyOf(addresses), false);
    }

    /** Whether a request from {@code remote} (null = in memory) may read pages. */
    public boolean permits(InetSocketAddress remote) {
        if (anyone) {
            return true;
        }
        return remote != null && remote.getAddress() != null && addresses.contains(remote.getAddress());
    }

    @Override
    public String toString() {
        return anyone ? "PeerAllowList[anyone]" : "PeerAllowList" + addresses;
    }
}
