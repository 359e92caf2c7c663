/** Merkle trees over coin pages, UDP root votes, integrity commands, sync and heal. */
module io.raida.integrity {
    requires transitive io.raida.protocol;
    requires org.slf4j;

    exports io.raida.integrity;

    uses io.raida.protocol.transport.RaidaTransportProvider;
}
