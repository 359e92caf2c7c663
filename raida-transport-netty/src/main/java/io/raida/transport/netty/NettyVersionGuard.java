package io.raida.transport.netty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;

/**
 * Refuses to load the transport with Netty older than 4.2 on the class path: 4.2 moved the event
 * loops to {@code IoHandler}s, and with 4.1 the transport would fail later, deep inside Netty
 * ({@code NoClassDefFoundError: io/netty/channel/epoll/EpollIoHandler}).
 */
final class NettyVersionGuard {
    /** A class that Netty 4.2's netty-transport has and 4.1's does not. */
    static final String MARKER_CLASS = "io.netty.channel.IoHandlerFactory";
    private static final String VERSIONS = "META-INF/io.netty.versions.properties";

    private NettyVersionGuard() {
    }

    /** Throws {@link IllegalStateException} naming the found version unless Netty 4.2 or later is loadable. */
    static void check(ClassLoader loader) {
        String found = foundVersion(loader);
        if (!present(loader) || olderThan42(found)) {
            throw new IllegalStateException("raida-java's Netty transport needs Netty 4.2 or later (found " + found
                    + ")");
        }
    }

    /** The netty-transport version the class path declares (netty-common's if none), or a description why not. */
    static String foundVersion(ClassLoader loader) {
        String transport = null;
        String common = null;
        try {
            Enumeration<URL> urls = loader.getResources(VERSIONS);
            while (urls.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = urls.nextElement().openStream()) {
                    p.load(in);
                }
                transport = transport != null ? transport : p.getProperty("netty-transport.version");
                common = common != null ? common : p.getProperty("netty-common.version");
            }
        } catch (IOException e) {
            return "unknown: " + e.getMessage();
        }
        if (transport != null) {
            return transport;
        }
        if (common != null) {
            return "netty-common " + common + ", no netty-transport version";
        }
        return present(loader) ? "unknown" : "no Netty 4.2 netty-transport on the class path";
    }

    /** True for a version that starts below 4.2 (4.1.118.Final, 3.10.6.Final); false if it cannot tell. */
    static boolean olderThan42(String version) {
        String[] parts = version.split("[.]", 3);
        if (parts.length < 2) {
            return false;
        }
        try {
            int major = Integer.parseInt(parts[0].trim());
            int minor = Integer.parseInt(parts[1].replaceAll("\\D.*$", ""));
            return major < 4 || (major == 4 && minor < 2);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean present(ClassLoader loader) {
        try {
            Class.forName(MARKER_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
