package io.raida.integrity;

import io.raida.protocol.Denominations;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The Merkle tree of one denomination (integrity.md §3–§4), immutable once built: 1 000 leaves (one
 * per page), parents {@code SHA-256(left ‖ right)} with an odd last node paired with itself, 11
 * levels with the root at level 10. Leaves use selective hashing: each record contributes its AN if
 * its MFS byte is non-zero, else 16 zero bytes; an absent or short page has the leaf 32 zero bytes.
 */
public final class MerkleTree {
    /** Leaves per tree (one per page). */
    public static final int LEAVES = Denominations.PAGES;
    /** Levels 0..10. */
    public static final int LEVELS = 11;
    /** Level of the root. */
    public static final int ROOT_LEVEL = LEVELS - 1;
    /** Bytes per node. */
    public static final int HASH_SIZE = 32;
    /** Bytes hashed per leaf: 1 024 × 16. */
    static final int STD_SIZE = Denominations.RECORDS_PER_PAGE * PageStore.AN_SIZE;

    private static final int[] WIDTH = new int[LEVELS];

    static {
        int n = LEAVES;
        for (int l = 0; l < LEVELS; l++) {
            WIDTH[l] = n;
            n = (n + 1) / 2;
        }
    }

    private final int denomination;
    private final byte[][] levels;

    private MerkleTree(int denomination, byte[][] levels) {
        this.denomination = denomination;
        this.levels = levels;
    }

    /**
     * Nodes at a level: ceil(1000 / 2^level) → 1000, 500, 250, 125, 63, 32, 16, 8, 4, 2, 1.
     *
     * @param level the level, 0 (leaves) to 10 (root)
     * @return the number of nodes at that level
     */
    public static int width(int level) {
        if (level < 0 || level >= LEVELS) {
            throw new IllegalArgumentException("level must be 0..10, got " + level);
        }
        return WIDTH[level];
    }

    /**
     * True if {@code (level, index)} names a node of a tree.
     *
     * @param level the level to check
     * @param index the index to check
     * @return {@code true} if the level is 0..10 and the index is below its {@link #width(int) width}
     */
    public static boolean isNode(long level, long index) {
        return level >= 0 && level < LEVELS && index >= 0 && index < WIDTH[(int) level];
    }

    /**
     * The denomination this tree covers.
     *
     * @return the denomination code, -8..6
     */
    public int denomination() {
        return denomination;
    }

    /**
     * The root (a copy).
     *
     * @return the 32-byte root hash
     */
    public byte[] root() {
        return levels[ROOT_LEVEL].clone();
    }

    /**
     * The node hash (a copy).
     *
     * @param level the level, 0 (leaves) to 10 (root)
     * @param index the index within the level
     * @return the 32-byte hash
     */
    public byte[] node(int level, int index) {
        if (!isNode(level, index)) {
            throw new IllegalArgumentException("no node (" + level + ", " + index + ")");
        }
        return Arrays.copyOfRange(levels[level], index * HASH_SIZE, (index + 1) * HASH_SIZE);
    }

    /**
     * Whether node {@code (level, index)} equals {@code hash[off..off+32)}.
     *
     * @param level the level, 0 (leaves) to 10 (root)
     * @param index the index within the level
     * @param hash the bytes to compare
     * @param off where the 32 bytes start in {@code hash}
     * @return {@code true} if they are equal
     */
    public boolean nodeEquals(int level, int index, byte[] hash, int off) {
        return Arrays.equals(levels[level], index * HASH_SIZE, (index + 1) * HASH_SIZE, hash, off, off + HASH_SIZE);
    }

    /** Copies the root into {@code dst[off..off+32)}. */
    void copyRoot(byte[] dst, int off) {
        System.arraycopy(levels[ROOT_LEVEL], 0, dst, off, HASH_SIZE);
    }

    /** Builds a tree from 1 000 leaf hashes ({@code leaves} is kept, not copied). */
    static MerkleTree fromLeaves(int denomination, byte[] leaves, MessageDigest sha) {
        if (leaves.length != LEAVES * HASH_SIZE) {
            throw new IllegalArgumentException("need 1000 leaves");
        }
        byte[][] lv = new byte[LEVELS][];
        lv[0] = leaves;
        for (int l = 1; l < LEVELS; l++) {
            byte[] below = lv[l - 1];
            int nb = WIDTH[l - 1];
            byte[] cur = new byte[WIDTH[l] * HASH_SIZE];
            for (int i = 0; i < WIDTH[l]; i++) {
                int left = 2 * i;
                int right = left + 1 < nb ? left + 1 : left;
                sha.update(below, left * HASH_SIZE, HASH_SIZE);
                sha.update(below, right * HASH_SIZE, HASH_SIZE);
                digestInto(sha, cur, i * HASH_SIZE);
            }
            lv[l] = cur;
        }
        return new MerkleTree(denomination, lv);
    }

    /** A copy of the 1 000 leaf hashes (32 000 bytes). */
    byte[] leavesCopy() {
        return levels[0].clone();
    }

    /**
     * {@code SHA-256(left ‖ right)}.
     *
     * @param left the left child's 32-byte hash
     * @param right the right child's 32-byte hash
     * @return the parent's 32-byte hash
     */
    public static byte[] parent(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /**
     * The leaf hash of a page (17 408 bytes, not modified), or 32 zero bytes for {@code null} (an
     * absent page).
     *
     * @param page the page bytes, or {@code null}
     * @return the 32-byte leaf hash
     */
    public static byte[] leafHash(byte[] page) {
        byte[] out = new byte[HASH_SIZE];
        if (page != null) {
            PageStore.checkData(page);
            leafInPlace(page.clone(), sha256(), out, 0);
        }
        return out;
    }

    /**
     * The leaf of a page as stored now, computed as {@link MerkleForest} does: an absent or short page
     * is 32 zero bytes. Callers that compare it before a write hold the page's lock.
     */
    static byte[] currentLeaf(PageStore store, int denomination, int page) throws java.io.IOException {
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        boolean present;
        try {
            present = store.readPage(denomination, page, buf);
        } catch (TruncatedPageException e) {
            present = false;
        }
        byte[] out = new byte[HASH_SIZE];
        if (present) {
            leafInPlace(buf, sha256(), out, 0);
        }
        return out;
    }

    /**
     * Leaf hash of the page in {@code buf}, written to {@code out[off..off+32)}. Compacts the records
     * to the 16-byte "standard" form inside {@code buf} itself (destroying the page) so a build needs
     * one page buffer per thread and nothing else: record r moves from r×17 to r×16, which never
     * overwrites a record not yet read.
     */
    static void leafInPlace(byte[] buf, MessageDigest sha, byte[] out, int off) {
        for (int r = 0; r < Denominations.RECORDS_PER_PAGE; r++) {
            int src = r * PageStore.RECORD_SIZE;
            int dst = r * PageStore.AN_SIZE;
            if (buf[src + PageStore.AN_SIZE] != 0) {
                System.arraycopy(buf, src, buf, dst, PageStore.AN_SIZE);
            } else {
                Arrays.fill(buf, dst, dst + PageStore.AN_SIZE, (byte) 0);
            }
        }
        sha.update(buf, 0, STD_SIZE);
        digestInto(sha, out, off);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private static void digestInto(MessageDigest sha, byte[] out, int off) {
        try {
            sha.digest(out, off, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MerkleTree[den " + denomination + ", root " + io.raida.protocol.internal.Bytes.hex(levels[ROOT_LEVEL]) + "]";
    }
}
