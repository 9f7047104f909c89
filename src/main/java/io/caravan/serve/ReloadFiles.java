package io.caravan.serve;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File helpers of the hot reload: reading, hashing, writing atomically, and naming files in messages. */
final class ReloadFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadFiles.class);

    private ReloadFiles() {
    }

    /** Writes a temporary file next to the target, then moves it over the target in one step. */
    static void writeAtomically(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** @return the file's text; null when it does not exist (or cannot be read, which is logged) */
    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.error("cannot read {}: {}", f, e.getMessage());
            return null;
        }
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the file relative to the working directory when it is under it, else absolute */
    static String shown(Path f) {
        Path cwd = Path.of("").toAbsolutePath();
        return f.startsWith(cwd) ? cwd.relativize(f).toString() : f.toString();
    }
}
