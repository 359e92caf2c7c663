package io.raida.transport.netty;

import io.raida.protocol.transport.AbstractResourceExhaustionTest;

/** Memory and descriptor floods against the Netty server (epoll where available) in a child JVM. */
class NettyResourceExhaustionTest extends AbstractResourceExhaustionTest {

    @Override
    protected String transport() {
        return "netty";
    }
}
