package io.raida.protocol.server;

/**
 * The kinds of work a server sheds or refuses to protect itself, each with its own counter in
 * {@link ServerStats} and at most one log line per {@link OverloadLog#INTERVAL_NANOS interval}.
 */
public enum Overload {
    /** A request body refused at its header (254): the buffered-request budget was full. */
    REJECTED_MEMORY("rejectedMemory"),
    /** A TCP connection accepted and closed at once: the connection limit was reached. */
    REJECTED_CONNECTIONS("rejectedConnections"),
    /** A connection whose partial body stalled, closed to make room in the budget. */
    SHED_STALLED("shedStalled"),
    /** accept() failed (EMFILE, ENFILE, ENOBUFS, ...): accepting paused briefly. */
    ACCEPT_FAILED("acceptFailures"),
    /** A TCP connection closed at once: its source opened new connections faster than its rate allows. */
    RATE_LIMITED_CONNECTIONS("rateLimitedConnections"),
    /** A TCP connection closed at once: its source already held its limit of open connections. */
    SOURCE_LIMITED_CONNECTIONS("sourceLimitedConnections"),
    /** A UDP request that costs work dropped without a reply: its source sent faster than its rate allows. */
    RATE_LIMITED_DATAGRAMS("rateLimitedDatagrams");

    private final String statName;

    Overload(String statName) {
        this.statName = statName;
    }

    /**
     * The name of its counter, as in the stats and the log.
     *
     * @return the counter's name
     */
    public String statName() {
        return statName;
    }
}
