package io.raida.integrity;

import io.raida.protocol.Denominations;
import io.raida.protocol.server.CoinKeyResolver;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CoinKeyResolver} backed by a {@link PageStore}: the key of coin (den, SN) is the AN of
 * record {@code SN % 1024} on page {@code SN / 1024}, provided its MFS byte is non-zero. A record
 * with MFS 0 is an unissued serial number and never a key (D-33); an absent page has no keys.
 * Locker keys are not in the page store and come from an optional second resolver.
 *
 * <pre>{@code
 * PageStore store = FilePageStore.open(Path.of("/srv/raida"));
 * ServerCore core = ServerCore.builder().raidaId(3).keyResolver(new PageStoreKeyResolver(store)).build();
 * }</pre>
 */
public final class PageStoreKeyResolver implements CoinKeyResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PageStoreKeyResolver.class);

    private final PageStore store;
    private final CoinKeyResolver lockers;

    /**
     * A resolver of coin keys only: type-2 (locker) requests find no key.
     *
     * @param store the page store whose coin records hold the ANs used as keys
     */
    public PageStoreKeyResolver(PageStore store) {
        this(store, CoinKeyResolver.NONE);
    }

    /**
     * @param lockers where type-2 locker keys come from
     *
     * @param store the page store whose coin records hold the ANs used as type-1 keys
     */
    public PageStoreKeyResolver(PageStore store, CoinKeyResolver lockers) {
        this.store = Objects.requireNonNull(store, "store");
        this.lockers = Objects.requireNonNull(lockers, "lockers");
    }

    @Override
    public byte[] coinAn(int denomination, long serialNumber) {
        if (!Denominations.isValid(denomination) || !Denominations.isValidSerial(serialNumber)) {
            return null;
        }
        int page = (int) (serialNumber / Denominations.RECORDS_PER_PAGE);
        int record = (int) (serialNumber % Denominations.RECORDS_PER_PAGE);
        byte[] rec = new byte[PageStore.RECORD_SIZE];
        try {
            if (!store.readRecord(denomination, page, record, rec, 0)) {
                return null;
            }
        } catch (IOException e) {
            LOG.warn("cannot read the key record of coin {}:{}: {}", denomination, serialNumber, e.toString());
            return null;
        }
        return rec[PageStore.AN_SIZE] == 0 ? null : Arrays.copyOf(rec, PageStore.AN_SIZE);
    }

    @Override
    public byte[] lockerAn(byte[] prefix, int off) {
        return lockers.lockerAn(prefix, off);
    }
}
