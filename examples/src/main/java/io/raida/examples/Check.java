package io.raida.examples;

import io.raida.protocol.transport.RaidaTransportProvider;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Option values checked before anything starts. Every message names the option (or key) and says
 * what was expected and what was given; values that may be key material are never repeated.
 */
final class Check {
    private Check() {
    }

    static int integer(String name, String value, int dflt, int min, int max) throws UsageException {
        return (int) longValue(name, value, dflt, min, max);
    }

    static long longValue(String name, String value, long dflt, long min, long max) throws UsageException {
        if (value == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, got \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw new UsageException(name + " must be " + min + ".." + max + ", got " + value.trim());
        }
        return n;
    }

    /**
     * The server's {@code --transport}: nio (default), netty, or the name of another
     * {@code RaidaTransportProvider} on the class path (an embedder's, or a test's).
     */
    static String serverTransport(String value) throws UsageException {
        if (value == null || value.trim().equalsIgnoreCase("nio") || value.trim().equalsIgnoreCase("netty")) {
            return choice("--transport", value, "nio", "nio", "netty");
        }
        try {
            return RaidaTransportProvider.named(value.trim()).name();
        } catch (IllegalArgumentException e) {
            List<String> installed = new ArrayList<>();
            for (RaidaTransportProvider p : ServiceLoader.load(RaidaTransportProvider.class)) {
                installed.add(p.name());
            }
            throw new UsageException("--transport must be nio, netty or another transport on the class path, got \""
                    + value.trim() + "\" (installed: " + String.join(", ", installed) + ")");
        }
    }

    /** One of {@code choices} (case-insensitive), returned as listed. */
    static String choice(String name, String value, String dflt, String... choices) throws UsageException {
        if (value == null) {
            return dflt;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(value.trim())) {
                return c;
            }
        }
        throw new UsageException(name + " must be one of " + String.join("|", choices) + ", got \"" + value + "\"");
    }

    /**
     * Exactly {@code length} bytes as {@code 2 × length} hex digits (spaces and colons between them
     * are allowed); the value is never repeated in the message.
     */
    static byte[] hex(String name, String value, int length) throws UsageException {
        String s = value.strip().replace(" ", "").replace(":", "");
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                throw new UsageException(name + " must be hexadecimal digits (0-9, a-f), found another character at "
                        + "position " + (i + 1));
            }
        }
        if (s.length() != 2 * length) {
            throw new UsageException(name + " needs " + 2 * length + " hex digits, got " + s.length());
        }
        return HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
    }
}
