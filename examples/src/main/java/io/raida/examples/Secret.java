package io.raida.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * A 16-byte secret (admin key, AN) from one of three places: the option itself (visible in
 * {@code ps} and shell history, so a warning is printed), a file whose first line is the hex value,
 * or an environment variable. The value is never printed, logged or put in a message.
 *
 * @param option  the option that takes the value, e.g. {@code --admin-key}
 * @param env     the environment variable, e.g. {@code RAIDA_ADMIN_KEY}
 * @param length  the secret's size in bytes
 */
record Secret(String option, String env, int length) {
    static final Secret ADMIN_KEY = new Secret("--admin-key", "RAIDA_ADMIN_KEY", 16);
    static final Secret AN = new Secret("--an", "RAIDA_AN", 16);

    /** The option that names the file, e.g. {@code --admin-key-file}. */
    String fileOption() {
        return option + "-file";
    }

    /**
     * The secret from {@code argument}, {@code file} or the environment, in that order of precedence;
     * null if none is given. The argument and the file together are a usage error.
     */
    byte[] resolve(String argument, Path file, Cli cli) throws UsageException {
        if (argument != null && file != null) {
            throw new UsageException("give " + option + " or " + fileOption() + ", not both");
        }
        if (argument != null) {
            byte[] value = Check.hex(option, argument, length);
            cli.err().println("warning: " + option + " on the command line can be read by other users (ps, shell "
                    + "history); use " + fileOption() + " FILE or the environment variable " + env);
            return value;
        }
        if (file != null) {
            return fromFile(fileOption(), file, cli);
        }
        String v = cli.env().get(env);
        if (v != null && !v.isBlank()) {
            return Check.hex(env, v, length);
        }
        return null;
    }

    /** Whether {@link #resolve} would find a value (for options that need a secret together with others). */
    boolean given(String argument, Path file, Cli cli) {
        String v = cli.env().get(env);
        return argument != null || file != null || (v != null && !v.isBlank());
    }

    /** The first line of {@code file} as hex; warns when the file is readable by group or others. */
    byte[] fromFile(String what, Path file, Cli cli) throws UsageException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException(what + " " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException(what + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new UsageException(what + " " + file + ": the first line is empty, expected " + 2 * length
                    + " hex digits");
        }
        warnIfShared(what, file, cli);
        return Check.hex(what + " " + file, lines.get(0), length);
    }

    /** Prints a warning when {@code file} (holding a secret) is readable by its group or by others. */
    static void warnIfShared(String what, Path file, Cli cli) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to say
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
            cli.err().println("warning: " + what + " " + file + " holds a secret and is readable by other users (mode "
                    + PosixFilePermissions.toString(perms) + "); chmod 600 " + file);
        }
    }
}
