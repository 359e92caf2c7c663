package io.raida.transport.nio;

import io.raida.protocol.transport.AbstractResourceExhaustionTest;

/** Memory and descriptor floods against the NIO server in a child JVM. */
class NioResourceExhaustionTest extends AbstractResourceExhaustionTest {

    @Override
    protected String transport() {
        return "nio";
    }
}
