package io.raida.protocol.cluster;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The coin files both sides of a locker transfer keep (lockers.md §5, format 9 with PANs): what
 * to write down before a put or a remove, what to keep after it, and the checks on what is given
 * back. The bookkeeping that makes a lost reply recoverable with find.
 */
final class LockerFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LockerFiles() {
    }

    /**
     * @param code a transmit code
     * @return its 25 locker keys
     * @throws IllegalArgumentException if the code is refused
     */
    static byte[][] keys(String code) {
        String c = LockerKey.normalize(code);
        byte[][] k = new byte[RaidaNetwork.SIZE][];
        for (int i = 0; i < k.length; i++) {
            k[i] = LockerKey.fromTransmitCode(c, i).bytes();
        }
        return k;
    }

    /**
     * See {@link LockerClient#preparePut}.
     *
     * @param code  the transmit code
     * @param coins the coins
     * @return the files to keep
     */
    static List<CoinFile> preparePut(String code, List<Coin> coins) {
        List<byte[]> keys = Arrays.asList(keys(code));
        List<CoinFile> out = new ArrayList<>();
        for (Coin c : requireCoins(coins)) {
            out.add(new CoinFile(c.withPown(PownString.untried()), keys));
        }
        return List.copyOf(out);
    }

    /**
     * See {@link LockerClient#prepareRemove}.
     *
     * @param code  the transmit code
     * @param coins the coins in the locker
     * @return the files to keep
     */
    static List<CoinFile> prepareRemove(String code, List<LockerCoin> coins) {
        List<byte[]> keys = Arrays.asList(keys(code));
        Objects.requireNonNull(coins, "coins");
        if (coins.isEmpty()) {
            throw new IllegalArgumentException("no coin given");
        }
        if (new HashSet<>(coins).size() != coins.size()) {
            throw new IllegalArgumentException("a coin is listed twice; remove each coin once");
        }
        List<CoinFile> out = new ArrayList<>();
        for (LockerCoin c : coins) {
            List<byte[]> pans = new ArrayList<>(RaidaNetwork.SIZE);
            for (int i = 0; i < RaidaNetwork.SIZE; i++) {
                pans.add(randomAn());
            }
            out.add(new CoinFile(Coin.of(c.denomination(), c.serialNumber(), keys), pans));
        }
        return List.copyOf(out);
    }

    /**
     * @return 16 random bytes that are not a locker key (they would put the coin into another locker)
     */
    static byte[] randomAn() {
        byte[] an = new byte[CoinRecords.AN];
        do {
            RANDOM.nextBytes(an);
        } while (LockerKey.hasLockerTail(an, 0));
        return an;
    }

    /**
     * See {@link LockerClient#keep}.
     *
     * @param result   the result of the step
     * @param prepared the files written before it
     * @return the files to keep
     */
    static List<CoinFile> keep(BatchResult result, List<CoinFile> prepared) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(prepared, "prepared");
        if (result.coins().size() != prepared.size()) {
            throw new IllegalArgumentException(result.coins().size() + " results but " + prepared.size() + " files");
        }
        List<CoinFile> out = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Coin c = result.coins().get(i).coin();
            if (!LockerCoin.of(c).equals(LockerCoin.of(prepared.get(i).coin()))) {
                throw new IllegalArgumentException("result " + (i + 1) + " is coin " + LockerCoin.of(c)
                        + " but file " + (i + 1) + " holds " + LockerCoin.of(prepared.get(i).coin()));
            }
            out.add(new CoinFile(c, prepared.get(i).pans()));
        }
        return List.copyOf(out);
    }

    /**
     * See {@link LockerClient#inLocker}.
     *
     * @param code the transmit code
     * @param coin the coin
     * @return the RAIDA where it sits in the locker
     */
    static List<Integer> inLocker(String code, Coin coin) {
        byte[][] lk = keys(code);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < RaidaNetwork.SIZE; i++) {
            // non-short-circuit: compare every RAIDA's key in the same time
            if (coin.pown().letter(i) == 'p' & MessageDigest.isEqual(coin.anRef(i), lk[i])) {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param coins the coins of a locker call
     * @return an immutable copy
     * @throws IllegalArgumentException if there is no coin
     */
    static List<Coin> requireCoins(List<Coin> coins) {
        return CoinBatch.requireCoins(coins, "no coin given");
    }

    /**
     * @param coins the coins of a call
     * @return {@code coins}
     * @throws IllegalArgumentException if a coin is listed twice (a RAIDA refuses that put with 198)
     */
    static List<Coin> requireDistinct(List<Coin> coins) {
        Set<LockerCoin> seen = new HashSet<>();
        for (Coin c : coins) {
            if (!seen.add(LockerCoin.of(c))) {
                throw new IllegalArgumentException("coin " + c.denomination() + "/" + c.serialNumber()
                        + " is listed twice: give each coin once (a RAIDA refuses a put listing a coin twice"
                        + " with 198)");
            }
        }
        return coins;
    }

    /**
     * The PANs of {@code files}, their coins appended to {@code coins}.
     *
     * @param files  the kept files
     * @param coins  receives the files' coins
     * @param remove whether for a remove: then no PAN may be a locker key
     * @return {@code [coin][raidaId]}
     * @throws IllegalArgumentException if there is no file, a file has no PANs, or (remove) a PAN
     *                                  ends {@code FF FF FF FF}
     */
    static byte[][][] pansOf(List<CoinFile> files, List<Coin> coins, boolean remove) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no coin file given");
        }
        byte[][][] pans = new byte[files.size()][][];
        for (int i = 0; i < files.size(); i++) {
            CoinFile f = Objects.requireNonNull(files.get(i), "file");
            if (!f.hasPans()) {
                throw new IllegalArgumentException("coin " + LockerCoin.of(f.coin()) + " has no PANs: keep the files"
                        + " of " + (remove ? "prepareRemove" : "preparePut, prepareRemove or keep"));
            }
            pans[i] = Coin.copyAns(f.pans());
            if (remove) {
                for (int r = 0; r < RaidaNetwork.SIZE; r++) {
                    if (LockerKey.hasLockerTail(pans[i][r], 0)) {
                        throw new IllegalArgumentException("coin " + LockerCoin.of(f.coin()) + ": its new AN for RAIDA "
                                + r + " ends FF FF FF FF and would put it into another locker; use prepareRemove");
                    }
                }
            }
            coins.add(f.coin());
        }
        return pans;
    }
}
