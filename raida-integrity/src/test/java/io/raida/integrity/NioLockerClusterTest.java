package io.raida.integrity;

/** Lockers over 25 RAIDA on the NIO transport. */
class NioLockerClusterTest extends AbstractLockerClusterTest {
    @Override
    protected String transport() {
        return "nio";
    }
}
