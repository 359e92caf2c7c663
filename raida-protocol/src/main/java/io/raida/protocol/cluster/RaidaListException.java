package io.raida.protocol.cluster;

import java.io.IOException;

/** A RAIDA list (auth.md §6) that cannot be used: wrong number of entries, a bad line, port or host. */
public final class RaidaListException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The wrong line, 1-based, or 0; serialized with the exception. */
    private final int lineNumber;

    /**
     * @param source     file name or other source of the list
     * @param lineNumber 1-based line, or 0 when the list as a whole is wrong
     * @param reason     what is wrong
     */
    public RaidaListException(String source, int lineNumber, String reason) {
        super(source + (lineNumber > 0 ? ":" + lineNumber : "") + ": " + reason);
        this.lineNumber = lineNumber;
    }

    /**
     * The 1-based line that is wrong, or 0 when the list as a whole is (e.g. not 25 entries).
     *
     * @return the line number, 0 or more
     */
    public int lineNumber() {
        return lineNumber;
    }
}
