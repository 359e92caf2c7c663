/**
 * Talking to all 25 RAIDA at once: the network's endpoints ({@link io.raida.protocol.cluster.RaidaNetwork}),
 * a fan-out client with one deadline, UDP-to-TCP fallback, retries, early completion by quorum and
 * type 1/2 keystream calibration ({@link io.raida.protocol.cluster.RaidaCluster}), the authentication
 * commands for batches of coins with POWN strings and grades
 * ({@link io.raida.protocol.cluster.CoinAuthenticator}, auth.md §2–§3) and coin files of format 9
 * ({@link io.raida.protocol.cluster.CoinFile}, auth.md §5). Transport-agnostic: it uses only the
 * {@link io.raida.protocol.transport.RaidaClient} SPI.
 */
package io.raida.protocol.cluster;
