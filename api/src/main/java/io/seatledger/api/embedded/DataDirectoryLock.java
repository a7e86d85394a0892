package io.seatledger.api.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks a data directory as owned by this JVM while its embedded servers run: an exclusive lock on
 * {@code instance.lock} in it, which the operating system drops when the JVM ends, however it ends. Holding it
 * is what proves that servers found running on the directory were left by a dead instance, not started by a
 * live one.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "instance.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory's lock, or fails at once if a live process holds it. */
    static DataDirectoryLock acquire(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the data directory " + directory + " is in use by another running instance (pid "
                    + Files.readString(file, StandardCharsets.UTF_8).strip() + "): stop it first, or give this one its own seatledger.data-dir");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        return new DataDirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
