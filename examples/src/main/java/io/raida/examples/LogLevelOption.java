package io.raida.examples;

import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --log-level}, on every command: sets slf4j-simple's level (the examples' backend). The
 * backend reads its configuration when the first logger is made, so {@link Main#main} also applies
 * the option before anything logs; later loggers under {@code io.raida} follow the option too.
 */
final class LogLevelOption {
    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String RAIDA_LEVEL = "org.slf4j.simpleLogger.log.io.raida";

    /** The levels of slf4j-simple, least to most verbose. */
    enum Level { off, error, warn, info, debug, trace }

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "off, error, warn, info (default; demo: warn), debug or trace")
    void level(Level level) {
        apply(level);
    }

    static void apply(Level level) {
        System.setProperty(DEFAULT_LEVEL, level.name());
        System.setProperty(RAIDA_LEVEL, level.name());
    }

    /** Applies a {@code --log-level} among {@code args} before any logger exists; bad values are left to the parser. */
    static void preset(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String v = null;
            if (args[i].equals("--log-level") && i + 1 < args.length) {
                v = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                v = args[i].substring("--log-level=".length());
            }
            if (v != null) {
                try {
                    apply(Level.valueOf(v.trim().toLowerCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    return; // the parser reports it
                }
            }
        }
    }
}
