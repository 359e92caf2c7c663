package io.raida.examples.embed;

import io.raida.integrity.HealingCommands;
import io.raida.integrity.PageStore;
import io.raida.protocol.server.ServerCore;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Embedding the healing commands (2/40, 2/50, 2/60, 2/80) in a server: the README quotes the lines
 * between the tag comments; {@code EmbeddedHealingExampleTest} runs them.
 */
public final class EmbeddedHealingExample {

    private EmbeddedHealingExample() {
    }

    /**
     * Registers the healing commands on {@code core} over {@code store}.
     *
     * @param peers the 25 RAIDA addresses, index = RAIDA id (own entry may be null)
     * @return the installed handlers; close them to unregister
     */
    public static HealingCommands install(ServerCore core, PageStore store, List<InetSocketAddress> peers) {
        // tag::embed-healing[]
        HealingCommands healing = HealingCommands.builder()
                .pageStore(store)            // the store of the key resolver and the integrity node
                .peers(peers)                // 25 addresses, index = RAIDA id (own entry may be null)
                .transport("nio")            // or .client(client)
                .build().install(core);      // healing.close() unregisters and closes its own client
        // end::embed-healing[]
        return healing;
    }
}
