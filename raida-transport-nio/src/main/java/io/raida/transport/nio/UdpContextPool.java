package io.raida.transport.nio;

import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;

/**
 * The bounded pool of per-datagram decoders that may be handed to workers (the seed's 4 096-entry
 * UDP pool). A LIFO stack guarded by a monitor: the I/O thread takes, workers give back. Every
 * decoder is zeroed when given back and again when it is next used (D-10).
 */
final class UdpContextPool {
    private final FrameDecoder[] stack;
    private int top;

    UdpContextPool(ServerCore core, int size) {
        stack = new FrameDecoder[size];
        for (int i = 0; i < size; i++) {
            stack[i] = core.newDecoder();
        }
        top = size;
    }

    /** A free decoder, or null when every one is in use. */
    synchronized FrameDecoder take() {
        return top == 0 ? null : stack[--top];
    }

    /** Returns a decoder; its request state (peer, echo, keys, response) is cleared first. */
    void give(FrameDecoder d) {
        d.reset(Transport.UDP, null, 0);
        synchronized (this) {
            stack[top++] = d;
        }
    }

    synchronized int available() {
        return top;
    }
}
