/**
 * RAIDA X coin-page integrity (integrity.md): a {@link io.raida.integrity.PageStore} of coin pages
 * ({@link io.raida.integrity.InMemoryPageStore}, {@link io.raida.integrity.FilePageStore} in the
 * reference layout), per-denomination Merkle trees ({@link io.raida.integrity.MerkleTree},
 * {@link io.raida.integrity.MerkleForest}), the integrity commands 14/2, 14/4, 14/5, the UDP root vote,
 * the two-stage sync with healing, and a {@link io.raida.protocol.server.CoinKeyResolver} over the pages
 * ({@link io.raida.integrity.PageStoreKeyResolver}). {@link io.raida.integrity.IntegrityNode} wires it all
 * into a {@link io.raida.protocol.server.ServerCore}.
 *
 * <h2>Deliberate differences from the reference server</h2>
 * <ul>
 *   <li><b>14/4 is restricted</b> (D-16): it returns raw pages, i.e. coin ANs. Only source IPs on a
 *       {@link io.raida.protocol.server.PeerPolicy} are served (empty by default; the sync's peers can be
 *       allowed with {@code allowPageDataFromPeers()}); others get status 38 ERROR_ADMIN_AUTH. 14/2 and
 *       14/5 (hashes only) stay open as in the reference.</li>
 *   <li><b>No vote before the first tree build</b> (D-17): the 497-byte vote datagram is dropped (no
 *       reply, i.e. "no vote" for the asker) until {@code start()} has built the trees; the reference
 *       answers "match" to an all-zero vector when it has no trees. Trees are built at start-up (D-39).
 *       Votes are answered to any sender (they reveal one bit); the asker counts only replies to its
 *       own per-peer socket with the echoed nonce.</li>
 *   <li><b>Range checks</b> (D-18): denomination outside -8..6, level ≥ 11, index ≥ width (including
 *       values ≥ 2^31), page ≥ 1 000 are answered 202 (ERROR_FILE_NOT_EXIST), the status the reference
 *       uses for "no such node/page"; a page file shorter than 17 408 bytes is answered 194.
 *       Handlers check payload lengths 9 / 5 / 480 (body sizes 27 / 23 / 498 for types 0/1/2), so the
 *       commands also work with types 4/5 (D-14).</li>
 *   <li><b>Sync</b>: votes in parallel with one deadline; majority = 13 of 25 counting self and all
 *       replies; ballots kept with their sender (D-36); the healing walk runs on an immutable tree
 *       snapshot without any lock shared with the vote path (D-38); every fetched node is verified
 *       against its verified parent starting at the majority root, and a page is written only if it
 *       hashes to the verified leaf, atomically through the page store so the trees and key lookups
 *       see it (D-37). A page present here but absent on the majority (leaf = 32 zero bytes) is not
 *       deleted; it is logged and counted as a heal failure.</li>
 *   <li><b>No placeholder pages</b> (D-33): a missing page stays missing and reads as unissued; a
 *       record with MFS 0 is never a key.</li>
 * </ul>
 */
package io.raida.integrity;

