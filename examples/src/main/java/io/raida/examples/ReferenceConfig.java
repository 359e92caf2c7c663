package io.raida.examples;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference C server's {@code config.toml} ({@code [server]} table), as {@code server --config}
 * reads it. A key absent from the file is null here; the command line overrides every key.
 *
 * @param raidaId       {@code raida_id}
 * @param coinId        {@code coin_id}
 * @param port          {@code port}
 * @param threads       {@code threads}: worker threads, 0 = the default
 * @param adminKey      {@code admin_key}: 32 hex digits
 * @param rootPath      {@code root_path}: the data directory ({@code Data/<DD>/<PP>/<NNNN>.bin})
 * @param udpPayload    {@code udp_effective_payload}: the largest UDP request read
 * @param syncEnabled   {@code synchronization_enabled}
 * @param integrityFreq {@code integrity_freq}: seconds between sync cycles
 * @param raidaServers  {@code raida_servers}: the 25 RAIDA as "host:port", index = RAIDA id
 * @param ignored       keys the reference reads that this server does not use
 * @param unknown       keys neither server knows (typos, newer versions)
 */
record ReferenceConfig(Integer raidaId, Integer coinId, Integer port, Integer threads, byte[] adminKey, Path rootPath,
                       Integer udpPayload, Boolean syncEnabled, Integer integrityFreq, List<String> raidaServers,
                       List<String> ignored, List<String> unknown) {

    static final String TABLE = "server";
    /** Read by the reference, not used here: logged once as ignored. */
    static final Set<String> IGNORED = Set.of("proxy_key", "backup_freq", "btc_confirmations");
    static final Set<String> KEYS = Set.of("raida_id", "coin_id", "port", "threads", "admin_key", "root_path",
            "udp_effective_payload", "synchronization_enabled", "integrity_freq", "raida_servers");

    /** Reads {@code file}; a malformed file or a bad value is a {@link UsageException} naming the line and key. */
    static ReferenceConfig read(Path file, Cli cli) throws UsageException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--config " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? -1 : at.getLineNr();
            String key = line > 0 ? keyAtOrBefore(text, line) : null;
            throw new UsageException("--config " + file + (line > 0 ? " line " + line : "") + (key == null ? ""
                    : " (key " + key + ")") + ": not valid TOML: " + e.getOriginalMessage());
        }
        Reader r = new Reader(file, text);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals(TABLE)) {
                unknown.add(name);
            }
        }
        JsonNode server = root.get(TABLE);
        if (server == null || !server.isObject()) {
            throw new UsageException("--config " + file + ": no [server] table (the reference's config.toml keeps "
                    + "its keys under [server])");
        }
        List<String> ignored = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = server.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (IGNORED.contains(name)) {
                ignored.add(name);
            } else if (!KEYS.contains(name)) {
                unknown.add(TABLE + "." + name);
            }
        }
        byte[] adminKey = null;
        JsonNode k = server.get("admin_key");
        if (k != null) {
            adminKey = Check.hex(r.where("admin_key"), r.text("admin_key", k), 16);
            Secret.warnIfShared("--config", file, cli);
        }
        String root2 = server.has("root_path") ? r.text("root_path", server.get("root_path")) : null;
        List<String> servers = null;
        JsonNode list = server.get("raida_servers");
        if (list != null) {
            if (!list.isArray() || list.size() != ServerSettings.RAIDA_COUNT) {
                throw new UsageException(r.where("raida_servers") + " must list all " + ServerSettings.RAIDA_COUNT
                        + " RAIDA as \"host:port\" strings, got " + (list.isArray() ? list.size() + " entries"
                        : "a " + list.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            }
            servers = new ArrayList<>();
            for (JsonNode s : list) {
                servers.add(r.text("raida_servers", s));
            }
        }
        return new ReferenceConfig(r.integer(server, "raida_id", 0, 24), r.integer(server, "coin_id", 0, 65_535),
                r.integer(server, "port", 0, 65_535), r.integer(server, "threads", 0, 1_024), adminKey,
                root2 == null ? null : Path.of(root2), r.integer(server, "udp_effective_payload", 48, 65_507),
                r.bool(server, "synchronization_enabled"), r.integer(server, "integrity_freq", 1, Integer.MAX_VALUE),
                servers == null ? null : List.copyOf(servers), List.copyOf(ignored), List.copyOf(unknown));
    }

    /** The key assigned on {@code line} (1-based), else the last one assigned before it. */
    private static String keyAtOrBefore(String text, int line) {
        String[] lines = text.split("\\R", -1);
        Pattern assign = Pattern.compile("^\\s*([A-Za-z0-9_\\-]+)\\s*=");
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            Matcher m = assign.matcher(lines[i]);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** Typed values of the {@code [server]} table with messages that name the file, the line and the key. */
    private record Reader(Path file, String text) {
        String where(String key) {
            String[] lines = text.split("\\R", -1);
            Pattern assign = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*=");
            for (int i = 0; i < lines.length; i++) {
                if (assign.matcher(lines[i]).find()) {
                    return "--config " + file + " line " + (i + 1) + ": " + key;
                }
            }
            return "--config " + file + ": " + key;
        }

        Integer integer(JsonNode table, String key, int min, int max) throws UsageException {
            JsonNode v = table.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber()) {
                throw new UsageException(where(key) + " must be a whole number, got " + v.toString());
            }
            long n = v.asLong();
            if (n < min || n > max) {
                throw new UsageException(where(key) + " must be " + min + ".." + max + ", got " + n);
            }
            return (int) n;
        }

        Boolean bool(JsonNode table, String key) throws UsageException {
            JsonNode v = table.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                throw new UsageException(where(key) + " must be true or false, got " + v.toString());
            }
            return v.asBoolean();
        }

        String text(String key, JsonNode v) throws UsageException {
            if (!v.isTextual()) {
                // no value in the message: admin_key is a secret
                throw new UsageException(where(key) + " must be a quoted string");
            }
            return v.asText();
        }
    }
}
