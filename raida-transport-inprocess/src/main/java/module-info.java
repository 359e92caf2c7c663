/**
 * RAIDA X server and client in one JVM without sockets, provider name {@code inprocess}: for fast
 * tests of code that embeds {@code RaidaServer}/{@code RaidaClient}. Take it in test scope.
 *
 * @provides io.raida.protocol.transport.RaidaTransportProvider the {@code inprocess} transport
 */
module io.raida.transport.inprocess {
    requires io.raida.protocol;
    requires org.slf4j;

    exports io.raida.transport.inprocess;

    provides io.raida.protocol.transport.RaidaTransportProvider
            with io.raida.transport.inprocess.InProcessTransportProvider;
}
