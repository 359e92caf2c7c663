package io.raida.protocol.cluster;

import java.io.IOException;

/** A coin file (format 9, auth.md §5) that cannot be read: it names the file and the field. */
public final class CoinFileException extends IOException {
    private static final long serialVersionUID = 1L;
    /** The field that is wrong; serialized with the exception. */
    private final String field;

    /**
     * @param file   the file (or other source) name
     * @param field  the field that is wrong, as named in auth.md §5
     * @param reason what is wrong with it
     */
    public CoinFileException(String file, String field, String reason) {
        super(file + ": " + field + ": " + reason);
        this.field = field;
    }

    /**
     * The field that is wrong (e.g. {@code "format"}, {@code "coin id"}, {@code "length"}).
     *
     * @return the field name, never {@code null}
     */
    public String field() {
        return field;
    }
}
