package io.raida.examples;

/** A command line that cannot be run; {@link Main} prints the one-line reason and the usage, exit code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String reason) {
        super(reason);
    }
}
