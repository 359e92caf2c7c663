package io.raida.protocol.testing;

import io.raida.protocol.Transport;
import io.raida.protocol.internal.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captured reference vectors ({@code conformance/reference-vectors.json}, see the README next
 * to it): request and reply bytes recorded against the reference C server, the server setup, the
 * coins whose ANs key the encrypted cases and the fixed inputs used to build the requests.
 *
 * <p>Loaded from {@code System.getProperty("raida.shared.dir", "../shared") +
 * "/conformance/reference-vectors.json"} (Surefire sets the property). Replies contain bytes that
 * change from run to run (execution time, random nonces, counters); compare with
 * {@link #maskedEquals(byte[], byte[], List)} using the case's {@link Case#variableRanges()}.
 *
 * <pre>{@code
 * ReferenceVectors v = ReferenceVectors.load();
 * ReferenceVectors.Case c = v.get("echo_tcp_type0");
 * byte[] ours = ReferenceServer.create(v).answer(c.request(), c.transportKind());
 * assertThat(ReferenceVectors.maskedEquals(c.response(), ours, c.variableRanges())).isTrue();
 * }</pre>
 */
public final class ReferenceVectors {

    /** A half-open byte range {@code [start, end)} of a reply. */
    public record Range(int start, int end) {
        @Override
        public String toString() {
            return "[" + start + "," + end + ")";
        }
    }

    /**
     * One recorded exchange.
     *
     * @param name           unique id ({@code _tcp}/{@code _udp} in it shows the transport)
     * @param phase          {@code A} (no Merkle trees), {@code B} (trees built) or {@code crash}
     * @param transport      {@code tcp} or {@code udp}
     * @param request        exact bytes sent
     * @param response       exact bytes received, or {@code null} if nothing came back
     * @param outcome        {@code closed}, {@code reset}, {@code timeout}, {@code datagram} or {@code no-reply}
     * @param status         reply byte 2, or {@code null} where there is no RAIDA header
     * @param variableRanges reply ranges that differ from run to run (mask before comparing)
     * @param precededByUdp  UDP only: the primer datagram sent just before (its fields leak into
     *                       the reply, D-10), or {@code null}
     * @param tcpSendChunks  TCP only: sizes of the first separate writes, or an empty list
     * @param expectedVote   vote fast-path cases: the vote byte, else {@code null}
     * @param note           one line on what the case shows
     */
    public record Case(String name, String phase, String transport, byte[] request, byte[] response, String outcome,
                       Integer status, List<Range> variableRanges, byte[] precededByUdp, List<Integer> tcpSendChunks,
                       Integer expectedVote, String note) {

        public boolean isTcp() {
            return "tcp".equals(transport);
        }

        public boolean isUdp() {
            return "udp".equals(transport);
        }

        /** The transport as the core's enum. */
        public Transport transportKind() {
            return isTcp() ? Transport.TCP : Transport.UDP;
        }

        /** A copy of the request bytes. */
        @Override
        public byte[] request() {
            return request.clone();
        }

        /** A copy of the reply bytes, or {@code null}. */
        @Override
        public byte[] response() {
            return response == null ? null : response.clone();
        }

        @Override
        public String toString() {
            return name + " (" + phase + ", " + transport + ", status " + status + ")";
        }
    }

    /**
     * A coin of the captured data set.
     *
     * @param denomination -8..6
     * @param serialNumber serial number
     * @param an           its 16-byte AN
     * @param mfs          its MFS byte (non-zero = issued)
     */
    public record Coin(int denomination, long serialNumber, byte[] an, int mfs) {
        @Override
        public byte[] an() {
            return an.clone();
        }
    }

    private static final String FILE = "conformance/reference-vectors.json";
    private static volatile ReferenceVectors cached;

    private final Map<String, Object> root;
    private final List<Case> cases;
    private final Map<String, Case> byName = new LinkedHashMap<>();
    private final List<Coin> coins;

    private ReferenceVectors(Map<String, Object> root) {
        this.root = root;
        List<Case> cs = new ArrayList<>();
        for (Object o : list(root, "cases")) {
            Case c = toCase(map(o));
            if (byName.put(c.name(), c) != null) {
                throw new IllegalStateException("duplicate case name " + c.name() + " in " + FILE);
            }
            cs.add(c);
        }
        this.cases = Collections.unmodifiableList(cs);
        List<Coin> coinList = new ArrayList<>();
        for (Object o : list(map(root.get("data")), "coins")) {
            Map<String, Object> m = map(o);
            coinList.add(new Coin(num(m, "den").intValue(), num(m, "sn").longValue(), hex((String) m.get("an_hex")),
                    num(m, "mfs").intValue()));
        }
        this.coins = Collections.unmodifiableList(coinList);
    }

    /** Where the vectors are read from. */
    public static Path file() {
        return Paths.get(System.getProperty("raida.shared.dir", "../shared")).resolve(FILE).toAbsolutePath().normalize();
    }

    /**
     * Loads (once per JVM) and returns the vectors.
     *
     * @throws IllegalStateException naming the path and the system property if the file is missing
     */
    public static ReferenceVectors load() {
        ReferenceVectors v = cached;
        if (v == null) {
            synchronized (ReferenceVectors.class) {
                v = cached;
                if (v == null) {
                    v = cached = read(file());
                }
            }
        }
        return v;
    }

    /** Reads a vectors file from an explicit path (no caching). */
    @SuppressWarnings("unchecked")
    public static ReferenceVectors read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("reference vectors not found at " + path + ": set the system property "
                    + "raida.shared.dir to the directory holding conformance/reference-vectors.json (the shared "
                    + "spec checkout, ../shared next to the project)");
        }
        try {
            Object parsed = Json.parse(Files.readString(path, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) {
                throw new IllegalStateException(path + " is not a JSON object");
            }
            return new ReferenceVectors((Map<String, Object>) parsed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference vectors " + path, e);
        }
    }

    /** Every case, in file order. */
    public List<Case> cases() {
        return cases;
    }

    /**
     * The case with this name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Case get(String name) {
        Case c = byName.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no reference case named " + name);
        }
        return c;
    }

    /** True if a case of that name exists. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The coins of {@code data.coins} (the encryption keys of the captured cases). */
    public List<Coin> coins() {
        return coins;
    }

    /** The coin {@code den:sn} of {@code data.coins}. */
    public Coin coin(int denomination, long serialNumber) {
        for (Coin c : coins) {
            if (c.denomination() == denomination && c.serialNumber() == serialNumber) {
                return c;
            }
        }
        throw new IllegalArgumentException("no coin " + denomination + ":" + serialNumber + " in data.coins");
    }

    /** {@code data.mfs_marks_before_capture} as (den, sn, mfs) triples. */
    public List<long[]> mfsMarks() {
        List<long[]> out = new ArrayList<>();
        for (Object o : list(map(root.get("data")), "mfs_marks_before_capture")) {
            Map<String, Object> m = map(o);
            out.add(new long[] {num(m, "den").longValue(), num(m, "sn").longValue(), num(m, "mfs").longValue()});
        }
        return out;
    }

    /** The {@code data} section as parsed JSON (pages layout, AN rule, ...). */
    public Map<String, Object> data() {
        return map(root.get("data"));
    }

    /** The {@code server} section as parsed JSON. */
    public Map<String, Object> server() {
        return map(root.get("server"));
    }

    /** The {@code fixed_inputs} section as parsed JSON. */
    public Map<String, Object> fixedInputs() {
        return map(root.get("fixed_inputs"));
    }

    /** Server RAIDA id of the capture (0). */
    public int raidaId() {
        return num(server(), "raida_id").intValue();
    }

    /** Coin id of the capture (6). */
    public int coinId() {
        return num(server(), "coin_id").intValue();
    }

    /** Admin key of the capture ({@code 000102..0f}). */
    public byte[] adminKey() {
        return hex((String) server().get("admin_key_hex"));
    }

    /** UDP receive size of the capture (1440): longer datagrams were cut to this. */
    public int udpEffectivePayload() {
        return num(server(), "udp_effective_payload").intValue();
    }

    /** Challenge bytes 0..11 used by every captured request with a challenge. */
    public byte[] challengeSeed() {
        return hex((String) fixedInputs().get("challenge_seed_hex"));
    }

    /** Echo bytes of the type 0 requests (0xABCD). */
    public int legacyEcho() {
        return Bytes.u16(hex((String) fixedInputs().get("legacy_echo_bytes_hex")), 0);
    }

    /** The 8-byte nonce of the type 1 requests. */
    public byte[] type1Nonce() {
        return hex((String) fixedInputs().get("type1_nonce_hex"));
    }

    /** The 24-byte nonce of the type 4/5 requests. */
    public byte[] type4Nonce() {
        return hex((String) fixedInputs().get("type4_nonce_hex"));
    }

    /** The whole file as parsed JSON. */
    public Map<String, Object> raw() {
        return root;
    }

    /** A copy of {@code bytes} with every range zeroed (ranges beyond the end are clipped). */
    public static byte[] mask(byte[] bytes, List<Range> ranges) {
        byte[] b = bytes.clone();
        for (Range r : ranges) {
            int end = Math.min(r.end(), b.length);
            if (r.start() < end) {
                Arrays.fill(b, r.start(), end, (byte) 0);
            }
        }
        return b;
    }

    /** True if both arrays have the same length and equal bytes outside {@code ranges}. */
    public static boolean maskedEquals(byte[] expected, byte[] actual, List<Range> ranges) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        return expected.length == actual.length && Arrays.equals(mask(expected, ranges), mask(actual, ranges));
    }

    /**
     * Describes where two replies differ outside the masked ranges (for assertion messages), e.g.
     * {@code "length 32 vs 48"} or {@code "bytes 6..7: abcd vs 0000"}; empty if they match.
     */
    public static String maskedDiff(byte[] expected, byte[] actual, List<Range> ranges) {
        if (expected == null || actual == null) {
            return expected == actual ? "" : "one side is null";
        }
        if (expected.length != actual.length) {
            return "length " + expected.length + " vs " + actual.length + ": expected " + Bytes.hex(expected)
                    + " got " + Bytes.hex(actual);
        }
        byte[] e = mask(expected, ranges);
        byte[] a = mask(actual, ranges);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < e.length) {
            if (e[i] == a[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < e.length && e[j] != a[j]) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : "; ").append("bytes ").append(i).append("..").append(j - 1).append(": ")
                    .append(Bytes.hex(e, i, j - i)).append(" vs ").append(Bytes.hex(a, i, j - i));
            i = j;
        }
        return sb.toString();
    }

    private static Case toCase(Map<String, Object> m) {
        List<Range> ranges = new ArrayList<>();
        for (Object o : list(m, "variable_ranges")) {
            List<?> r = (List<?>) o;
            ranges.add(new Range(((Number) r.get(0)).intValue(), ((Number) r.get(1)).intValue()));
        }
        List<Integer> chunks = new ArrayList<>();
        Object ch = m.get("tcp_send_chunks");
        if (ch instanceof List<?> l) {
            for (Object o : l) {
                chunks.add(((Number) o).intValue());
            }
        }
        Number status = (Number) m.get("status");
        Number vote = (Number) m.get("expected_vote");
        String resp = (String) m.get("response_hex");
        String pre = (String) m.get("preceded_by_udp_hex");
        return new Case((String) m.get("name"), (String) m.get("phase"), (String) m.get("transport"),
                hex((String) m.get("request_hex")), resp == null ? null : hex(resp), (String) m.get("outcome"),
                status == null ? null : status.intValue(), Collections.unmodifiableList(ranges),
                pre == null ? null : hex(pre), Collections.unmodifiableList(chunks),
                vote == null ? null : vote.intValue(), (String) m.get("note"));
    }

    private static byte[] hex(String s) {
        return Bytes.fromHex(s);
    }

    private static Number num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("field " + k + " is not a number in " + FILE + ": " + v);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalStateException("expected a JSON object in " + FILE + ", got " + o);
        }
        return (Map<String, Object>) o;
    }

    private static List<Object> list(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof List)) {
            throw new IllegalStateException("field " + k + " is not a JSON array in " + FILE);
        }
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) v;
        return l;
    }
}
