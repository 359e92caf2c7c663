package io.raida.integrity;

import io.raida.protocol.testing.ReferenceVectors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The data set of the reference capture (conformance README), generated on demand: every page of
 * every denomination exists; the AN of (den, page, record) is MD5 of ASCII {@code "4567" +
 * printf("%02x", den as int) + printf("%04x", page) + printf("%02x", record)} (negative den prints as
 * 8 hex digits, a record above 255 as 3), every MFS is 0 except the marks set before the capture.
 * Read-only: the capture never wrote pages.
 */
final class ReferenceDataStore implements PageStore {
    private final List<long[]> marks;

    ReferenceDataStore(ReferenceVectors v) {
        this.marks = v.mfsMarks();
    }

    static byte[] an(int den, int page, int record) {
        String s = "4567" + String.format("%02x", den) + String.format("%04x", page) + String.format("%02x", record);
        try {
            return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean readPage(int den, int page, byte[] dst) {
        PageStore.checkPage(den, page);
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String prefix = "4567" + String.format("%02x", den) + String.format("%04x", page);
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        for (int r = 0; r < 1024; r++) {
            md5.update(p);
            md5.update(Integer.toHexString(r | 0x100000).substring(r > 0xFF ? 3 : 4).getBytes(StandardCharsets.US_ASCII));
            System.arraycopy(md5.digest(), 0, dst, r * 17, 16);
            dst[r * 17 + 16] = 0;
        }
        for (long[] m : marks) {
            if (m[0] == den && m[1] / 1024 == page) {
                dst[(int) (m[1] % 1024) * 17 + 16] = (byte) m[2];
            }
        }
        return true;
    }

    @Override
    public void writePage(int den, int page, byte[] data) {
        throw new UnsupportedOperationException("the captured data set is read-only");
    }

    @Override
    public void addListener(PageListener listener) {
    }

    @Override
    public void removeListener(PageListener listener) {
    }
}
