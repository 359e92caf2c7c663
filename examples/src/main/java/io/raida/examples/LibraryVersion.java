package io.raida.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the raida-java version these examples were built with (filtered at build time). */
final class LibraryVersion implements IVersionProvider {

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" outside a Maven build. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"raida-java " + version() + " (Java " + System.getProperty("java.version") + ")"};
    }
}
