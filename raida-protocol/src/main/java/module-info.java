/**
 * The transport-agnostic RAIDA X core: codecs, crypto, validation, frame decoding, command dispatch,
 * client requests and response parsing, the transport SPI and the server metrics views.
 *
 * <p>Transports are found with {@link java.util.ServiceLoader} as {@code RaidaTransportProvider}s
 * ({@code RaidaTransportProvider.named("nio")}); Micrometer is needed only by
 * {@code io.raida.protocol.metrics.RaidaMeterBinder}.
 */
module io.raida.protocol {
    requires org.slf4j;
    requires java.management;
    requires jdk.management;
    requires static micrometer.core;

    exports io.raida.protocol;
    exports io.raida.protocol.client;
    exports io.raida.protocol.cluster;
    exports io.raida.protocol.crypto;
    exports io.raida.protocol.server;
    exports io.raida.protocol.transport;
    exports io.raida.protocol.metrics;
    // byte helpers and the worker pool: for this library's own modules, not for applications
    exports io.raida.protocol.internal to io.raida.transport.nio, io.raida.transport.netty,
            io.raida.transport.inprocess, io.raida.legacy, io.raida.integrity;

    uses io.raida.protocol.transport.RaidaTransportProvider;
}
