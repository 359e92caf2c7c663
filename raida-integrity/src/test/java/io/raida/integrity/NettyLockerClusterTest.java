package io.raida.integrity;

/** Lockers over 25 RAIDA on the Netty transport. */
class NettyLockerClusterTest extends AbstractLockerClusterTest {
    @Override
    protected String transport() {
        return "netty";
    }
}
