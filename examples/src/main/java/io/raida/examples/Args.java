package io.raida.examples;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GNU-style options of one subcommand: {@code --name value} or {@code --name=value}, each at most
 * once, only names the subcommand knows, no positional arguments. Typed getters turn bad values
 * into a {@link UsageException} that names the option.
 */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * @param args  the words after the subcommand
     * @param known option names without the leading dashes
     * @throws UsageException for an unknown, repeated or value-less option or a stray word
     */
    static Args parse(List<String> args, Set<String> known) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (!word.startsWith("--") || word.length() == 2) {
                throw new UsageException("unexpected argument \"" + word + "\" (options look like --name value)");
            }
            String name = word.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!known.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (a.values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return a;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt, int min, int max) throws UsageException {
        return (int) longValue(name, dflt, min, max);
    }

    long longValue(String name, long dflt, long min, long max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got \"" + v + "\"");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be " + min + ".." + max + ", got " + v);
        }
        return n;
    }

    /** One of {@code choices} (case-insensitive), returned in lower case. */
    String choice(String name, String dflt, String... choices) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v.trim())) {
                return c;
            }
        }
        throw new UsageException("--" + name + " must be one of " + String.join("|", choices) + ", got \"" + v + "\"");
    }

    /** Hex bytes of exactly {@code length} bytes, or null when the option is absent. */
    byte[] hex(String name, int length) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        String s = v.trim().replace(" ", "").replace(":", "");
        byte[] b;
        try {
            b = HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            // the value may be key material: never echo it
            throw new UsageException("--" + name + " must be hexadecimal digits");
        }
        if (b.length != length) {
            throw new UsageException("--" + name + " must be " + length + " bytes (" + 2 * length
                    + " hex digits), got " + b.length);
        }
        return b;
    }
}
