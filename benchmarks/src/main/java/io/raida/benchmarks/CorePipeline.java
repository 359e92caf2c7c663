package io.raida.benchmarks;

import io.raida.protocol.server.DatagramReceiver;
import io.raida.protocol.server.ReplySink;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerDispatcher;
import io.raida.protocol.server.ServerExchange;
import io.raida.protocol.transport.ServerOptions;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The calls a transport makes per request, without a socket, over a ring of prebuilt frames: a
 * reused {@link ServerExchange} (feed, dispatch) for TCP and a {@link DatagramReceiver} for UDP,
 * the reply captured by a {@link ReplySink}. Shared by the core benchmarks.
 */
final class CorePipeline {
    private final ServerDispatcher dispatcher;
    private final ServerExchange stream;
    private final DatagramReceiver datagrams;
    private final ByteBuffer[] frames;
    private byte[] reply;
    private int next;

    CorePipeline(ServerCore core, ByteBuffer[] frames) {
        this.frames = frames;
        ServerOptions options = ServerOptions.builder().workerPools(w -> w.workerThreads(1)).build();
        dispatcher = ServerDispatcher.start(core, options, "benchmark-worker");
        ReplySink sink = new ReplySink() {
            @Override
            public void send(ServerExchange exchange, byte[] bytes) {
                reply = bytes;
            }

            @Override
            public void close(ServerExchange exchange) {
                reply = null;
            }

            @Override
            public boolean isOpen(ServerExchange exchange) {
                return true;
            }
        };
        stream = dispatcher.newStreamExchange(null, sink, System.nanoTime());
        datagrams = dispatcher.newDatagramReceiver(sink);
    }

    private ByteBuffer nextFrame() {
        ByteBuffer frame = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        frame.clear();
        return frame;
    }

    /** The TCP path: the next frame arrives whole in one read. */
    byte[] tcp() {
        ByteBuffer frame = nextFrame();
        stream.reuse(null, System.nanoTime());
        stream.feed(frame, false);
        stream.dispatch();
        return reply;
    }

    /** The UDP path: the next frame as one datagram decoded in place. */
    byte[] udp() {
        ByteBuffer frame = nextFrame();
        datagrams.receive(frame, null, false);
        return reply;
    }

    /** Ends the dispatcher's worker thread. */
    void shutdown() {
        dispatcher.shutdown(Duration.ofSeconds(1));
    }
}
