/**
 * RAIDA X server and client on {@code java.nio} selectors, provider name {@code nio}. Nothing is
 * exported: applications reach it through {@code RaidaTransportProvider.named("nio")}.
 *
 * @provides io.raida.protocol.transport.RaidaTransportProvider the {@code nio} transport
 */
module io.raida.transport.nio {
    requires io.raida.protocol;
    requires org.slf4j;
    requires jdk.net;

    provides io.raida.protocol.transport.RaidaTransportProvider with io.raida.transport.nio.NioTransportProvider;
}
