/**
 * The RAIDA X transport on Netty 4.2: {@link io.raida.transport.netty.NettyRaidaServer} (TCP and UDP
 * on one port, native epoll with {@code SO_REUSEPORT} and {@code recvmmsg} where available, NIO event
 * loops elsewhere) and {@link io.raida.transport.netty.NettyRaidaClient}, registered as transport
 * {@code "netty"} for {@link io.raida.protocol.transport.RaidaTransportProvider#named(String)}. It
 * drives the same {@code raida-protocol} core objects as the NIO transport and takes the same
 * {@link io.raida.protocol.transport.ServerOptions}; no protocol logic lives here.
 */
package io.raida.transport.netty;
