package io.raida.transport.netty;

import io.raida.protocol.transport.RaidaTransportProvider;

/**
 * Run in a forked JVM by {@link NettyVersionGuardTest}: loads the "netty" provider the way an
 * application does and prints what happened (exit 0 loaded, 3 refused), with every cause's message.
 */
public final class NettyGuardProbe {
    private NettyGuardProbe() {
    }

    /**
     * Loads the provider.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try {
            System.out.println("loaded " + RaidaTransportProvider.named("netty").name());
            System.exit(0);
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                System.out.println(c.getClass().getName() + ": " + c.getMessage());
            }
            System.exit(3);
        }
    }
}
