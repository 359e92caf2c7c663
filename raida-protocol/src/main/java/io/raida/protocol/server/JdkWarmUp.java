package io.raida.protocol.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the JDK create, while descriptors are still free, what it otherwise creates on the first
 * socket close: {@code sun.nio.ch.FileDispatcherImpl} opens a descriptor pair in its static
 * initialiser, and at the descriptor limit that fails with an {@link ExceptionInInitializerError}
 * that killed the I/O loop on its first close (issue 10). A loopback connection is opened, registered,
 * shut down and closed once per JVM.
 */
final class JdkWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(JdkWarmUp.class);
    private static volatile boolean done;

    private JdkWarmUp() {
    }

    static synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        try {
            Class.forName("sun.nio.ch.FileDispatcherImpl", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("FileDispatcherImpl not initialised: {}", e.toString());
        }
        try (Selector selector = Selector.open();
             ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                 SocketChannel accepted = listener.accept()) {
                accepted.configureBlocking(false);
                SelectionKey k = accepted.register(selector, SelectionKey.OP_READ);
                accepted.shutdownOutput();
                k.cancel();
                selector.selectNow();
                client.shutdownInput();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("socket warm-up failed: {}", e.toString());
        }
    }
}
