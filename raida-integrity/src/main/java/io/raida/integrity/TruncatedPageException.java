package io.raida.integrity;

import java.io.IOException;

/**
 * A page exists but is shorter than 17 408 bytes. Its Merkle leaf is 32 zero bytes (integrity.md §3),
 * its serial numbers are unissued, and command 14/4 answers 194 (ERROR_FILESYSTEM) for it.
 */
public class TruncatedPageException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A page that exists but is shorter than {@link PageStore#PAGE_SIZE}.
     *
     * @param message names the page and its length
     */
    public TruncatedPageException(String message) {
        super(message);
    }
}
