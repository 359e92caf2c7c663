package io.raida.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The module brings native epoll for both Linux architectures a RAIDA server runs on; without the
 * {@code linux-aarch_64} jar an ARM server silently ran on NIO.
 */
class NativeTransportJarsTest {

    @Test
    void epollLibrariesForBothLinuxArchitecturesAreOnTheClassPath() {
        ClassLoader loader = NativeTransportJarsTest.class.getClassLoader();
        assertThat(loader.getResource("META-INF/native/libnetty_transport_native_epoll_x86_64.so"))
                .as("netty-transport-native-epoll:linux-x86_64").isNotNull();
        assertThat(loader.getResource("META-INF/native/libnetty_transport_native_epoll_aarch_64.so"))
                .as("netty-transport-native-epoll:linux-aarch_64").isNotNull();
    }

    @Test
    void epollLoadsOnLinuxForBothArchitectures() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean supported = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")
                || arch.equals("aarch64"));
        if (supported) {
            assertThat(Epoll.isAvailable()).as("epoll on %s/%s: %s", os, arch, Epoll.unavailabilityCause()).isTrue();
            assertThat(NettyIo.select(true).isEpoll()).isTrue();
        } else {
            assertThat(NettyIo.select(true).isEpoll()).isFalse();
        }
    }
}
