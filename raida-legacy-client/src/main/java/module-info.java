/** Unix-domain-socket client for the second-generation (CC2) coin system. */
module io.raida.legacy {
    requires transitive io.raida.protocol;
    requires org.slf4j;
    requires org.newsclub.net.unix;

    exports io.raida.legacy;
}
