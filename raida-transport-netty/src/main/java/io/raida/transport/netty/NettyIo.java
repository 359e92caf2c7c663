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
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketOption;
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
