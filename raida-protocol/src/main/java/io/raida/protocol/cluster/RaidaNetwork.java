package io.raida.protocol.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The 25 RAIDA endpoints, RAIDA <i>i</i> at index <i>i</i>. Immutable. */
public final class RaidaNetwork {
    /** Number of RAIDA in a network. */
    public static final int SIZE = 25;

    private final List<InetSocketAddress> endpoints;

    private RaidaNetwork(List<InetSocketAddress> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * A network from 25 addresses, RAIDA 0 first.
     *
     * @param endpoints 25 addresses
     * @return the network
     * @throws IllegalArgumentException if there are not exactly 25 or one is null
     */
    public static RaidaNetwork of(List<InetSocketAddress> endpoints) {
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.size() != SIZE) {
            throw new IllegalArgumentException("a RAIDA network has " + SIZE + " endpoints, got " + endpoints.size());
        }
        for (int i = 0; i < SIZE; i++) {
            if (endpoints.get(i) == null) {
                throw new IllegalArgumentException("endpoint of RAIDA " + i + " is null");
            }
        }
        return new RaidaNetwork(endpoints);
    }

    /**
     * 25 RAIDA on 127.0.0.1, RAIDA <i>i</i> on port {@code basePort + i}.
     *
     * @param basePort the port of RAIDA 0
     * @return the network
     */
    public static RaidaNetwork loopback(int basePort) {
        if (basePort < 1 || basePort + SIZE - 1 > 65_535) {
            throw new IllegalArgumentException("base port must be 1.." + (65_535 - SIZE + 1) + ", got " + basePort);
        }
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<InetSocketAddress> l = new ArrayList<>(SIZE);
        for (int i = 0; i < SIZE; i++) {
            l.add(new InetSocketAddress(lo, basePort + i));
        }
        return new RaidaNetwork(l);
    }

    /**
     * Reads a RAIDA list file (auth.md §6).
     *
     * @param file the path
     * @return the network
     * @throws java.io.IOException if the file cannot be read, or a {@link RaidaListException} if it is not a RAIDA
     *         list
     */
    public static RaidaNetwork read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a RAIDA list: one {@code host:port} per line ({@code [v6]:port} for IPv6 literals),
     * 25 entries, entry <i>i</i> = RAIDA <i>i</i>; blank lines and lines starting with {@code #}
     * are skipped. Host names are resolved now.
     *
     * @param source name used in error messages (e.g. the file name)
     * @param text the list's text
     * @return the network
     * @throws RaidaListException naming the line of a bad entry, or the count when it is not 25
     */
    public static RaidaNetwork parse(String text, String source) throws RaidaListException {
        List<InetSocketAddress> l = new ArrayList<>(SIZE);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (l.size() == SIZE) {
                throw new RaidaListException(source, i + 1, "more than " + SIZE + " entries");
            }
            l.add(parseEntry(line, source, i + 1));
        }
        if (l.size() != SIZE) {
            throw new RaidaListException(source, 0, "has " + l.size() + " entries, a RAIDA list needs " + SIZE);
        }
        return new RaidaNetwork(l);
    }

    private static InetSocketAddress parseEntry(String line, String source, int lineNo) throws RaidaListException {
        String host;
        String port;
        if (line.startsWith("[")) {
            int close = line.indexOf(']');
            if (close < 0 || close + 1 >= line.length() || line.charAt(close + 1) != ':') {
                throw new RaidaListException(source, lineNo, "\"" + line + "\" is not [IPv6]:port");
            }
            host = line.substring(1, close);
            port = line.substring(close + 2);
        } else {
            int colon = line.lastIndexOf(':');
            if (colon <= 0 || line.indexOf(':') != colon) {
                throw new RaidaListException(source, lineNo, "\"" + line + "\" is not host:port "
                        + "(write IPv6 addresses in brackets: [::1]:50000)");
            }
            host = line.substring(0, colon);
            port = line.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new RaidaListException(source, lineNo, "port \"" + port + "\" is not a number");
        }
        if (p < 1 || p > 65_535) {
            throw new RaidaListException(source, lineNo, "port " + p + " is outside 1..65535");
        }
        if (host.isEmpty()) {
            throw new RaidaListException(source, lineNo, "no host before the port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new RaidaListException(source, lineNo, "cannot resolve host \"" + host + "\"");
        }
    }

    /**
     * The endpoint of RAIDA {@code raidaId}.
     *
     * @param raidaId the RAIDA id, 0..24
     * @return the endpoint
     */
    public InetSocketAddress endpoint(int raidaId) {
        return endpoints.get(io.raida.protocol.RaidaIds.requireRaidaId(raidaId));
    }

    /**
     * All 25 endpoints, RAIDA 0 first.
     *
     * @return an immutable list of 25
     */
    public List<InetSocketAddress> endpoints() {
        return endpoints;
    }

    /**
     * The list in the file format of auth.md §6 (one {@code host:port} line per RAIDA).
     *
     * @return the text
     */
    public String toListText() {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : endpoints) {
            String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
            sb.append(h.indexOf(':') >= 0 ? "[" + h + "]" : h).append(':').append(a.getPort()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RaidaNetwork n && n.endpoints.equals(endpoints);
    }

    @Override
    public int hashCode() {
        return endpoints.hashCode();
    }

    @Override
    public String toString() {
        return "RaidaNetwork[" + endpoints.get(0) + " .. " + endpoints.get(SIZE - 1) + "]";
    }
}
