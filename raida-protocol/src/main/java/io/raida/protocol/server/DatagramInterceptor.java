package io.raida.protocol.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram fast path: gets the first look at every UDP datagram, before RAIDA decoding (the
 * integrity vote, integrity.md §6, is answered this way). Runs on the transport's I/O thread, so it
 * must not block.
 */
@FunctionalInterface
public interface DatagramInterceptor {

    /**
     * Returned to say "consumed, send nothing back". Any other zero-length array means the same:
     * every transport treats an empty reply as {@code DROP} and never sends an empty datagram.
     */
    byte[] DROP = new byte[0];

    /**
     * @param datagram the received bytes (position..limit); read with absolute gets or a duplicate
     * @param sender   where it came from
     * @return the reply to send to {@code sender}, {@link #DROP} (or any empty array) to consume it
     *         silently, or {@code null} to let normal RAIDA decoding handle it
     */
    byte[] intercept(ByteBuffer datagram, InetSocketAddress sender);
}
