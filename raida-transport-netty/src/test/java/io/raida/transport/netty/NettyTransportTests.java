package io.raida.transport.netty;

import io.raida.protocol.transport.ClientOptions;

/** Helpers shared by this module's tests. */
final class NettyTransportTests {
    private NettyTransportTests() {
    }

    /** {@code options} with the native-transport preference replaced. */
    static ClientOptions withNative(ClientOptions options, boolean preferNative) {
        return options.toBuilder().preferNativeTransport(preferNative).build();
    }
}
