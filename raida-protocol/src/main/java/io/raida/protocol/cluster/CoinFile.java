package io.raida.protocol.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A binary coin file of format 9 (auth.md §5): one coin, its POWN string and 25 ANs, optionally
 * followed by 25 proposed ANs (PANs). 439 bytes, or 839 with PANs. Holds secrets:
 * {@link #toString()} shows none.
 *
 * @param coin the coin (denomination, serial number, ANs, POWN string)
 * @param pans empty, or 25 PANs of 16 bytes (state flag bit 0)
 */
public record CoinFile(Coin coin, List<byte[]> pans) {
    /** Format byte (offset 0). */
    public static final int FORMAT = 9;
    /** Coin id written at offsets 2..3. */
    public static final int COIN_ID = 6;
    /** Size without PANs. */
    public static final int SIZE = 439;
    /** Size with PANs. */
    public static final int SIZE_WITH_PANS = 839;
    static final int OFF_FLAGS = 15;
    static final int OFF_POWN = 16;
    static final int OFF_DEN = 34;
    static final int OFF_SN = 35;
    static final int OFF_ANS = 39;
    static final int OFF_PANS = 439;

    /**
     * Checks and copies the PANs.
     *
     * @param coin the coin (denomination, serial number, ANs, POWN string)
     * @param pans empty, or 25 PANs of 16 bytes (state flag bit 0)
     */
    public CoinFile {
        Objects.requireNonNull(coin, "coin");
        Objects.requireNonNull(pans, "pans");
        if (!pans.isEmpty()) {
            byte[][] c = Coin.copyAns(pans);
            pans = Arrays.asList(c);
        }
        pans = pans.isEmpty() ? List.of() : java.util.Collections.unmodifiableList(pans);
    }

    /**
     * A file holding {@code coin} without PANs.
     *
     * @param coin the coin
     * @return the file
     */
    public static CoinFile of(Coin coin) {
        return new CoinFile(coin, List.of());
    }

    /**
     * Copies of the PANs (empty when the file has none).
     *
     * @return new arrays
     */
    @Override
    public List<byte[]> pans() {
        List<byte[]> l = new ArrayList<>(pans.size());
        for (byte[] p : pans) {
            l.add(p.clone());
        }
        return l;
    }

    /**
     * True when 25 PANs follow the ANs.
     *
     * @return {@code true} if the file carries PANs
     */
    public boolean hasPans() {
        return !pans.isEmpty();
    }

    /**
     * The file's bytes.
     *
     * @return the bytes in format 9
     */
    public byte[] toBytes() {
        byte[] b = new byte[hasPans() ? SIZE_WITH_PANS : SIZE];
        b[0] = FORMAT;
        b[1] = 1;
        b[2] = (byte) (COIN_ID >>> 8);
        b[3] = (byte) COIN_ID;
        b[7] = 1;
        b[OFF_FLAGS] = (byte) (hasPans() ? 1 : 0);
        System.arraycopy(coin.pown().toNibbles(), 0, b, OFF_POWN, 13);
        b[29] = (byte) 0x99;
        b[30] = (byte) 0x99;
        b[31] = (byte) 0x99;
        b[OFF_DEN] = (byte) coin.denomination();
        long sn = coin.serialNumber();
        b[OFF_SN] = (byte) (sn >>> 24);
        b[OFF_SN + 1] = (byte) (sn >>> 16);
        b[OFF_SN + 2] = (byte) (sn >>> 8);
        b[OFF_SN + 3] = (byte) sn;
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            System.arraycopy(coin.anRef(i), 0, b, OFF_ANS + 16 * i, 16);
            if (hasPans()) {
                System.arraycopy(pans.get(i), 0, b, OFF_PANS + 16 * i, 16);
            }
        }
        return b;
    }

    /**
     * Parses a file's bytes.
     *
     * @param source file name for messages
     * @param b the file's bytes
     * @return the parsed file
     * @throws CoinFileException naming the file and the field when the bytes are not one coin of format 9
     */
    public static CoinFile parse(byte[] b, String source) throws CoinFileException {
        if (b.length < 1 || (b[0] & 0xFF) != FORMAT) {
            throw new CoinFileException(source, "format", b.length < 1 ? "empty file"
                    : "format " + (b[0] & 0xFF) + ", only format 9 is supported");
        }
        if (b.length < SIZE) {
            throw new CoinFileException(source, "length", b.length + " bytes, a format 9 file has at least " + SIZE);
        }
        int coinId = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (coinId != COIN_ID) {
            throw new CoinFileException(source, "coin id", "coin id " + coinId + ", expected " + COIN_ID);
        }
        if (b[5] != 0) {
            throw new CoinFileException(source, "encryption", "encrypted coin files (type " + (b[5] & 0xFF)
                    + ") are not supported");
        }
        int count = ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
        if (count != 1) {
            throw new CoinFileException(source, "coins in the file", count + " coins, a coin file holds exactly one");
        }
        requireFixed(b, source);
        boolean withPans = (b[OFF_FLAGS] & 1) != 0;
        int expected = withPans ? SIZE_WITH_PANS : SIZE;
        if (b.length != expected) {
            throw new CoinFileException(source, "length", b.length + " bytes, state flags " + (withPans
                    ? "announce 25 PANs: " : "announce no PANs: ") + expected + " expected");
        }
        if ((b[28] & 0x0F) != 0x09) {
            throw new CoinFileException(source, "POWN string", "marker nibble (low nibble of byte 28) is "
                    + (b[28] & 0x0F) + ", expected 9");
        }
        PownString pown = PownString.fromNibbles(b, OFF_POWN);
        if (pown == null) {
            throw new CoinFileException(source, "POWN string", "holds a 4-bit code that names no POWN letter");
        }
        if ((b[29] & 0xFF) != 0x99 || (b[30] & 0xFF) != 0x99 || (b[31] & 0xFF) != 0x99) {
            throw new CoinFileException(source, "bytes 29..31", "expected 99 99 99");
        }
        long sn = ((b[OFF_SN] & 0xFFL) << 24) | ((b[OFF_SN + 1] & 0xFF) << 16) | ((b[OFF_SN + 2] & 0xFF) << 8)
                | (b[OFF_SN + 3] & 0xFF);
        List<byte[]> ans = new ArrayList<>(RaidaNetwork.SIZE);
        List<byte[]> pans = new ArrayList<>(withPans ? RaidaNetwork.SIZE : 0);
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            ans.add(Arrays.copyOfRange(b, OFF_ANS + 16 * i, OFF_ANS + 16 * i + 16));
            if (withPans) {
                pans.add(Arrays.copyOfRange(b, OFF_PANS + 16 * i, OFF_PANS + 16 * i + 16));
            }
        }
        return new CoinFile(Coin.of(b[OFF_DEN], sn, ans, pown), pans);
    }

    /**
     * The fields auth.md §5 fixes for an unencrypted one-coin file: refused when they hold anything
     * else, so that every file that parses is written back byte for byte by {@link #toBytes()}.
     */
    private static void requireFixed(byte[] b, String source) throws CoinFileException {
        if (b[1] != 1) {
            throw new CoinFileException(source, "reserved", "byte 1 is " + (b[1] & 0xFF) + ", expected 1");
        }
        if (b[4] != 0) {
            throw new CoinFileException(source, "experimental", "byte 4 is " + (b[4] & 0xFF) + ", expected 0");
        }
        for (int i = 8; i < OFF_FLAGS; i++) {
            if (b[i] != 0) {
                throw new CoinFileException(source, "password hash", "byte " + i
                        + " is not 0: an unencrypted file has no password hash");
            }
        }
        if ((b[OFF_FLAGS] & 0xFE) != 0) {
            throw new CoinFileException(source, "state flags", "flags " + (b[OFF_FLAGS] & 0xFF)
                    + ": only bit 0 (25 PANs follow) is defined");
        }
        if (b[32] != 0) {
            throw new CoinFileException(source, "split", "byte 32 is " + (b[32] & 0xFF) + ", expected 0");
        }
        if (b[33] != 0) {
            throw new CoinFileException(source, "shard", "byte 33 is " + (b[33] & 0xFF) + ", expected 0");
        }
    }

    /**
     * Reads and parses {@code file}.
     *
     * @param file the path
     * @return the parsed file
     * @throws java.io.IOException if the file cannot be read, or a {@link CoinFileException} if it is not a coin file
     */
    public static CoinFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Writes the file atomically and durably: a temporary file in the same directory, forced to the
     * disk, renamed over {@code file}, then the directory forced, so a reader sees the old file or the
     * new one, never a part, and after a power cut the new one is still there. A coin file holds the
     * only copy of its ANs: a rename the disk never saw would lose the coin.
     *
     * @param file the path
     * @throws java.io.IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(toBytes());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceDirectory(dir);
    }

    /** Makes a rename in {@code dir} durable where a directory can be opened (not on Windows, whose NTFS journals renames). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done here; the rename itself succeeded
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CoinFile f) || !f.coin.equals(coin) || f.pans.size() != pans.size()) {
            return false;
        }
        boolean same = true;
        for (int i = 0; i < pans.size(); i++) {
            same &= java.security.MessageDigest.isEqual(pans.get(i), f.pans.get(i));
        }
        return same;
    }

    @Override
    public int hashCode() {
        return coin.hashCode() * 31 + pans.size();
    }

    @Override
    public String toString() {
        return "CoinFile[" + coin + (hasPans() ? ", with PANs" : "") + "]";
    }
}
