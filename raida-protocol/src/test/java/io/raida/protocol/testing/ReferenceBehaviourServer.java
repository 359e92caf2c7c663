package io.raida.protocol.testing;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An interop test aid: a RAIDA server on loopback that answers with the real {@link ServerCore}
 * ({@link ServerCore#answer}) but reproduces, each switchable and all off by default, the wire
 * behaviour of the reference C server that clients must cope with (reference-defects.md):
 * <ul>
 * <li>{@link Builder#staleEarlyErrorState} (D-10): a UDP early header error (255, 2..7) carries the
 * echo bytes and signature of the previous datagram answered, not zeros;</li>
 * <li>{@link Builder#resetAfterEarlyError} (D-23): over TCP, a request refused at its header gets
 * the 32-byte early-error reply and the connection is closed with the rest of the request unread,
 * so the kernel sends RST;</li>
 * <li>{@link Builder#oneAcceptPerEvent} (D-28): connections that arrive together are accepted one
 * per readiness event, like the reference's edge-triggered loop: the others get no answer until a
 * further connection arrives;</li>
 * <li>{@link Builder#shortEarlyErrorHeaders} (D-9): early header errors to 48-byte requests are
 * answered with a 32-byte header, group 0 (except 7), echo 0 and no body.</li>
 * </ul>
 * The restarting type 1/2 reply keystream (D-1) is a core option: build the core with
 * {@code ServerCore.builder().legacyReplyKeystream(KeystreamMode.RESTART)}.
 *
 * <p>Blocking {@code java.net} sockets for UDP and the connections, an NIO selector for accepting,
 * daemon threads; {@link #close()} stops them all. For tests only: not a server to deploy.
 */
public final class ReferenceBehaviourServer implements AutoCloseable {
    /** With {@link Builder#oneAcceptPerEvent}: connections arriving this close together are one readiness event. */
    static final long COALESCE_MILLIS = 150;

    private final ServerCore core;
    private final boolean staleEarlyErrorState;
    private final boolean resetAfterEarlyError;
    private final boolean oneAcceptPerEvent;
    private final boolean shortEarlyErrorHeaders;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final DatagramSocket udp;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reference-behaviour-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<SocketChannel> backlog = new ArrayDeque<>();
    private volatile boolean closed;
    /** D-10: the echo and signature of the last datagram answered (the recycled pool state). */
    private int lastEcho;
    private byte[] lastSignature = new byte[16];

    private ReferenceBehaviourServer(Builder b) throws IOException {
        core = b.core;
        staleEarlyErrorState = b.staleEarlyErrorState;
        resetAfterEarlyError = b.resetAfterEarlyError;
        oneAcceptPerEvent = b.oneAcceptPerEvent;
        shortEarlyErrorHeaders = b.shortEarlyErrorHeaders;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(loopback, 0), 64);
        listener.configureBlocking(false);
        selector = Selector.open();
        listener.register(selector, SelectionKey.OP_ACCEPT);
        udp = new DatagramSocket(new InetSocketAddress(loopback, listener.socket().getLocalPort()));
        threads.execute(this::acceptLoop);
        threads.execute(this::udpLoop);
    }

    /** A builder over {@code core}, every behaviour off. */
    public static Builder builder(ServerCore core) {
        return new Builder(core);
    }

    /** The port, the same for TCP and UDP. */
    public int port() {
        return listener.socket().getLocalPort();
    }

    /** The loopback address and port to send to. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    // ---------------------------------------------------------------- UDP

    private void udpLoop() {
        byte[] buf = new byte[65_536];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] reply = answerDatagram(Arrays.copyOf(buf, p.getLength()));
            if (reply != null) {
                try {
                    udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    private byte[] answerDatagram(byte[] frame) {
        byte[] reply = core.answer(frame, Transport.UDP);
        if (reply == null) {
            return null;
        }
        reply = shorten(reply);
        if (isEarlyError(reply)) {
            if (staleEarlyErrorState && reply.length == 32) {
                Bytes.putU16(reply, 6, lastEcho);
                System.arraycopy(lastSignature, 0, reply, 16, 16);
            }
        } else if (reply.length >= 48 && reply.length - Bytes.u24(reply, 9) == 48) {
            lastEcho = Bytes.u16(reply, 46);
        } else {
            lastEcho = Bytes.u16(reply, 6);
            lastSignature = Arrays.copyOfRange(reply, 16, 32);
        }
        return reply;
    }

    // ---------------------------------------------------------------- TCP

    private void acceptLoop() {
        try {
            while (!closed) {
                selector.select();
                selector.selectedKeys().clear();
                if (closed) {
                    return;
                }
                if (oneAcceptPerEvent) {
                    // connects a few ms apart still arrive within one wake-up of a busy reference: one event
                    Thread.sleep(COALESCE_MILLIS);
                }
                int arrived = 0;
                SocketChannel ch;
                while ((ch = listener.accept()) != null) {
                    backlog.add(ch); // the kernel's backlog, as the reference's loop sees it
                    arrived++;
                }
                if (arrived == 0) {
                    continue;
                }
                int serve = oneAcceptPerEvent ? 1 : backlog.size();
                for (int i = 0; i < serve && !backlog.isEmpty(); i++) {
                    Socket s = backlog.poll().socket();
                    open.add(s);
                    threads.execute(() -> serve(s));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                throw new IllegalStateException("reference behaviour server accept loop failed", e);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.getChannel().configureBlocking(true);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(32);
            if (head.length < 32) {
                return;
            }
            int type = head[16] & 0xFF;
            if (type == 4 || type == 5) {
                byte[] rest = in.readNBytes(16);
                head = concat(head, rest);
                if (head.length < 48) {
                    return;
                }
            }
            if (resetAfterEarlyError) {
                byte[] probe = core.answer(head, Transport.UDP); // header checks only need the header
                if (probe != null && isEarlyError(shorten(probe))) {
                    s.getOutputStream().write(shorten(probe));
                    s.getOutputStream().flush();
                    return; // closes with the body unread: RST (D-23)
                }
            }
            int bodySize;
            try {
                bodySize = RequestHeader.decode(head, 0, head.length).bodySize();
            } catch (RuntimeException e) {
                bodySize = 0;
            }
            byte[] frame = concat(head, in.readNBytes(bodySize));
            byte[] reply = core.answer(frame, Transport.TCP);
            if (reply != null) {
                s.getOutputStream().write(shorten(reply));
                s.getOutputStream().flush();
                s.shutdownOutput();
                in.readAllBytes(); // our own behaviour after the reply: no reset unless asked for
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            // the client went away or was too slow
        } finally {
            open.remove(s);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---------------------------------------------------------------- reply shaping

    private static boolean isEarlyError(byte[] reply) {
        int status = reply[2] & 0xFF;
        return (status == 255 || (status >= 2 && status <= 7)) && Bytes.u24(reply, 9) == 0
                && (reply.length == 32 || reply.length == 48);
    }

    /** D-9: a 48-byte early-error reply becomes the reference's 32-byte one (group 0 except for 7, echo 0). */
    private byte[] shorten(byte[] reply) {
        if (!shortEarlyErrorHeaders || reply.length != 48 || !isEarlyError(reply)) {
            return reply;
        }
        byte[] r = new byte[32];
        r[0] = reply[0];
        r[2] = reply[2];
        r[3] = (reply[2] & 0xFF) == 7 ? reply[3] : 0;
        Bytes.putU16(r, 4, 1);
        return r;
    }

    /** Stops every thread and closes every socket. */
    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup();
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        udp.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
        SocketChannel ch;
        while ((ch = backlog.poll()) != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Which reference behaviours to reproduce; all off by default. */
    public static final class Builder {
        private final ServerCore core;
        private boolean staleEarlyErrorState;
        private boolean resetAfterEarlyError;
        private boolean oneAcceptPerEvent;
        private boolean shortEarlyErrorHeaders;

        private Builder(ServerCore core) {
            this.core = core;
        }

        /** D-10: UDP early errors carry the previous datagram's echo and signature. */
        public Builder staleEarlyErrorState(boolean on) {
            staleEarlyErrorState = on;
            return this;
        }

        /** D-23: a TCP early error is written, then the connection closed with input unread (RST). */
        public Builder resetAfterEarlyError(boolean on) {
            resetAfterEarlyError = on;
            return this;
        }

        /** D-28: one accepted connection per readiness event; the rest wait for a later arrival. */
        public Builder oneAcceptPerEvent(boolean on) {
            oneAcceptPerEvent = on;
            return this;
        }

        /** D-9: early errors to 48-byte requests get a 32-byte header. */
        public Builder shortEarlyErrorHeaders(boolean on) {
            shortEarlyErrorHeaders = on;
            return this;
        }

        /** Every behaviour above on at once: a server that behaves like the reference. */
        public Builder allReferenceBehaviours() {
            return staleEarlyErrorState(true).resetAfterEarlyError(true).oneAcceptPerEvent(true)
                    .shortEarlyErrorHeaders(true);
        }

        /** Binds TCP and UDP on one ephemeral loopback port and starts serving. */
        public ReferenceBehaviourServer start() throws IOException {
            return new ReferenceBehaviourServer(this);
        }
    }
}
