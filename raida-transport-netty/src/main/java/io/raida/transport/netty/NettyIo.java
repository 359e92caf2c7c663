package io.raida.transport.netty;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.raida.protocol.internal.PortReservation;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.function.BiConsumer;
import jdk.net.ExtendedSocketOptions;

/**
 * The Netty I/O flavour in use: native epoll (Linux, when the native library loads and it is
 * preferred) or the JDK NIO selector. Chooses event loops and channel classes together so the two
 * never mix.
 */
final class NettyIo {
    /** TCP keep-alive of transport.md §2.2: idle 60 s, interval 10 s, 5 probes. */
    static final int KEEP_IDLE_S = 60;
    static final int KEEP_INTERVAL_S = 10;
    static final int KEEP_COUNT = 5;

    /** TCP_DEFER_ACCEPT in seconds: the kernel turns it into one SYN-ACK retransmission (about 1 s). */
    static final int DEFER_ACCEPT_S = 1;
    /**
     * SOL_SOCKET (1) and SO_KEEPALIVE (9) have these values on the architectures Netty ships native
     * epoll for; MIPS, SPARC, PA-RISC and Alpha differ, so elsewhere keep-alive is set per connection.
     */
    private static final boolean LINUX_GENERIC_SOCKET_CONSTANTS = java.util.Set.of("amd64", "x86_64", "aarch64",
            "riscv64", "ppc64le", "loongarch64").contains(System.getProperty("os.arch", ""));
    private static final IntegerUnixChannelOption SO_KEEPALIVE = new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);
    /** IPPROTO_TCP (6) with TCP_KEEPIDLE (4), TCP_KEEPINTVL (5), TCP_KEEPCNT (6): the same on every Linux. */
    private static final IntegerUnixChannelOption TCP_KEEPIDLE = new IntegerUnixChannelOption("TCP_KEEPIDLE", 6, 4);
    private static final IntegerUnixChannelOption TCP_KEEPINTVL = new IntegerUnixChannelOption("TCP_KEEPINTVL", 6, 5);
    private static final IntegerUnixChannelOption TCP_KEEPCNT = new IntegerUnixChannelOption("TCP_KEEPCNT", 6, 6);

    private final boolean epoll;

    private NettyIo(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll when {@code preferNative} and the native transport is available, NIO otherwise. */
    static NettyIo select(boolean preferNative) {
        return new NettyIo(preferNative && Epoll.isAvailable());
    }

    boolean isEpoll() {
        return epoll;
    }

    String name() {
        return epoll ? "epoll" : "nio";
    }

    EventLoopGroup newGroup(int threads, String threadPrefix) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), factory);
    }

    Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends DatagramChannel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * The option that puts a socket into its port's {@code SO_REUSEPORT} group (Linux: the kernel
     * balances the group), or null where groups are not balanced: then one socket per protocol.
     */
    ChannelOption<Boolean> reusePort() {
        if (!PortReservation.REUSE_PORT_BALANCED) {
            return null;
        }
        return epoll ? UnixChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }

    /**
     * Options of the TCP listener. On epoll: {@code TCP_DEFER_ACCEPT} (a connection reaches accept
     * with its request, so accept, registration and the first read happen in one wake-up; an idle
     * connection still arrives after about a second), and SO_KEEPALIVE with its timers set once on
     * the listener, which Linux copies into every accepted socket (four setsockopt calls fewer per
     * connection). Returns whether keep-alive is settled on the listener; if not the caller sets it
     * on every accepted socket.
     */
    boolean listenerOptions(BiConsumer<ChannelOption<Integer>, Integer> set, boolean keepAlive) {
        if (!epoll) {
            return false;
        }
        set.accept(EpollChannelOption.TCP_DEFER_ACCEPT, DEFER_ACCEPT_S);
        if (!keepAlive || !LINUX_GENERIC_SOCKET_CONSTANTS) {
            return false;
        }
        // the listener's config knows none of these options: set through raw setsockopt
        set.accept(SO_KEEPALIVE, 1);
        set.accept(TCP_KEEPIDLE, KEEP_IDLE_S);
        set.accept(TCP_KEEPINTVL, KEEP_INTERVAL_S);
        set.accept(TCP_KEEPCNT, KEEP_COUNT);
        return true;
    }

    /** Sets TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT through whichever option type the flavour has. */
    void keepAliveOptions(BiConsumer<ChannelOption<Integer>, Integer> set) {
        if (epoll) {
            set.accept(EpollChannelOption.TCP_KEEPIDLE, KEEP_IDLE_S);
            set.accept(EpollChannelOption.TCP_KEEPINTVL, KEEP_INTERVAL_S);
            set.accept(EpollChannelOption.TCP_KEEPCNT, KEEP_COUNT);
        } else if (JdkKeepAlive.SUPPORTED) {
            set.accept(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), KEEP_IDLE_S);
            set.accept(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), KEEP_INTERVAL_S);
            set.accept(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), KEEP_COUNT);
        }
    }

    /** Whether the JDK exposes the keep-alive tuning options here (asked once, lazily). */
    private static final class JdkKeepAlive {
        static final boolean SUPPORTED = jdkSupports(ExtendedSocketOptions.TCP_KEEPIDLE);

        private static boolean jdkSupports(SocketOption<?> option) {
            try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open()) {
                return probe.supportedOptions().contains(option);
            } catch (IOException e) {
                return false;
            }
        }
    }
}
