package io.caravan.destination.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} on a local folder: a key is a file path relative to the folder. A put copies the file to a
 * hidden temporary file ({@code .<name>.<random>.tmp}) in the target's folder, forces it to disk, renames it over the
 * target atomically and forces the folder, so a crash leaves the old or the new object, never a part (a leftover
 * temporary file is hidden from {@link #list} and from Hive and Athena, which skip names starting with {@code .} or
 * {@code _}). Deleting the last object of a folder removes the emptied folders up to the root.
 */
public final class LocalStore implements ObjectStore {

    private final Path root;

    /**
     * @param root the folder; created when missing
     * @throws IOException when it cannot be created
     */
    public LocalStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    /** @return the folder, absolute */
    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || key.startsWith("/")) {
            throw new IllegalArgumentException("key '" + key + "' leaves the folder " + root);
        }
        return p;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename files atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceFolder(dir);
    }

    /** Forces a folder's entries to disk (Linux allows it; where a folder cannot be opened this is skipped). */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a folder as a channel; its renames are durable through the journal
        }
    }

    @Override
    public boolean get(String key, Path file) throws IOException {
        try {
            Files.copy(resolve(key), file, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<StoredObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .forEach(p -> {
                        String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                        if (key.startsWith(prefix)) {
                            try {
                                out.add(new StoredObject(key, Files.size(p)));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort((a, b) -> a.key().compareTo(b.key()));
        return out;
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        for (String key : keys) {
            Path p = resolve(key);
            if (Files.deleteIfExists(p)) {
                Path dir = p.getParent();
                while (dir != null && !dir.equals(root) && isEmpty(dir)) {
                    Files.deleteIfExists(dir);
                    dir = dir.getParent();
                }
                if (dir != null) {
                    forceFolder(dir);
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Override
    public String uri(String key) {
        String u = root.toUri().toString();
        return (u.endsWith("/") ? u : u + "/") + key;
    }

    @Override
    public void close() {
        // nothing held
    }
}
