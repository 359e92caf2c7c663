package io.raida.integrity;

/** The healing client suite over the netty transport (servers, their peer legs and the client). */
class NettyHealingClientTest extends AbstractHealingClientTest {

    @Override
    String transport() {
        return "netty";
    }
}
