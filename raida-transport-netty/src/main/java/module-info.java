/**
 * RAIDA X server and client on Netty (native epoll on Linux x86_64 and aarch64, NIO elsewhere),
 * provider name {@code netty}. Nothing is exported: applications reach it through
 * {@code RaidaTransportProvider.named("netty")}.
 *
 * @provides io.raida.protocol.transport.RaidaTransportProvider the {@code netty} transport
 */
module io.raida.transport.netty {
    requires io.raida.protocol;
    requires org.slf4j;
    requires jdk.net;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    provides io.raida.protocol.transport.RaidaTransportProvider with io.raida.transport.netty.NettyTransportProvider;
}
