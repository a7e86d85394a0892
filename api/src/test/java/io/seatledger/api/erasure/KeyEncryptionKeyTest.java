package io.seatledger.api.erasure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vault's key-encryption key: kept once, owner-only, and a wrapped key unwraps only for what it was wrapped for. */
class KeyEncryptionKeyTest {

    @TempDir Path directory;

    @Test
    void theKeyIsMadeOnceAndReadableByTheOwnerOnly() throws Exception {
        KeyEncryptionKey first = KeyEncryptionKey.inDirectory(directory);
        Path file = directory.resolve(KeyEncryptionKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String wrapped = first.wrap(new byte[]{1, 2, 3}, "org-key:acme");
        assertThat(KeyEncryptionKey.inDirectory(directory).unwrap(wrapped, "org-key:acme")).containsExactly(1, 2, 3);
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        try (var files = Files.list(directory)) {
            assertThat(files).as("no temporary file is left behind").containsExactly(file);
        }
    }

    @Test
    void aWrappedKeyMovedToAnotherOrganizationOrAlteredDoesNotUnwrap() {
        KeyEncryptionKey kek = KeyEncryptionKey.inDirectory(directory);
        byte[] key = KeyEncryptionKey.newDataKey();
        String wrapped = kek.wrap(key, "org-key:acme");
        assertThat(kek.unwrap(wrapped, "org-key:acme")).isEqualTo(key);
        assertThat(kek.wrap(key, "org-key:acme")).as("a fresh IV each time").isNotEqualTo(wrapped);
        assertThatThrownBy(() -> kek.unwrap(wrapped, "org-key:globex")).isInstanceOf(IllegalStateException.class);
        byte[] altered = Base64.getDecoder().decode(wrapped);
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> kek.unwrap(Base64.getEncoder().encodeToString(altered), "org-key:acme")).isInstanceOf(IllegalStateException.class);
        assertThat(kek.unwrap(wrapped, "org-key:acme")).as("unwrapping works again after a failed check").isEqualTo(key);
    }

    /** Many threads wrapping and unwrapping at once (ciphers from one provider) never mix up their keys or IVs. */
    @Test
    void manyThreadsWrapAndUnwrapAtOnce() throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.inDirectory(directory);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var rounds = java.util.stream.IntStream.range(0, 8).mapToObj(thread -> pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    byte[] key = KeyEncryptionKey.newDataKey();
                    String context = "org-key:" + thread + ":" + i;
                    String wrapped = kek.wrap(key, context);
                    assertThat(kek.unwrap(wrapped, context)).isEqualTo(key);
                    if (i % 50 == 0) {
                        assertThatThrownBy(() -> kek.unwrap(wrapped, context + "x")).isInstanceOf(IllegalStateException.class);
                    }
                }
                return true;
            })).toList();
            for (var round : rounds) {
                assertThat(round.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherKeyEncryptionKeyCannotUnwrap() {
        String wrapped = KeyEncryptionKey.inDirectory(directory).wrap(new byte[]{9}, "org-key:acme");
        KeyEncryptionKey configured = KeyEncryptionKey.of(Base64.getEncoder().encodeToString(KeyEncryptionKey.newDataKey()));
        assertThatThrownBy(() -> configured.unwrap(wrapped, "org-key:acme")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> KeyEncryptionKey.of(Base64.getEncoder().encodeToString(new byte[16]))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }
}
