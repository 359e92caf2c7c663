/**
 * Bridge to the second-generation coin system ("CC2", shard 2) over a Unix-domain stream socket
 * ({@code legacy-cc2.md}).
 *
 * <ul>
 *   <li>{@link io.raida.legacy.Cc2Client}: the client (detect, hash delete), one connection per call,
 *       every failure a {@link io.raida.legacy.Cc2Exception} carrying the RAIDA X status to answer.</li>
 *   <li>{@link io.raida.legacy.Cc2DetectHandler}: the RAIDA X detect command (1/10) for shard 2,
 *       registered in a {@link io.raida.protocol.server.ServerCore}'s command registry.</li>
 * </ul>
 *
 * <p>The CC2 simulator ({@code Cc2Simulator}, an in-process CC2 back end able to misbehave on
 * demand) is a test fixture: it ships in this module's test-jar, not in its jar.
 *
 * <p>Reference defects not copied: byte 6 of the request header is sent as {@code 00} (D-6); the
 * 3-byte reply length is read as an unsigned 24-bit value (D-7); serial numbers are range-checked
 * instead of truncated and an unknown CC2 status becomes 48 ERROR_LEGACY_DB (D-8).
 */
package io.raida.legacy;
