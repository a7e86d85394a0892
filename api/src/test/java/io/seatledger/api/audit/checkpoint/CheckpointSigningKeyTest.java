package io.seatledger.api.audit.checkpoint;

import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint signing key survives restarts (the same key id from the same data directory), is readable by its
 * owner only, and an operator's PKCS#8 PEM key is used with the public key that belongs to it.
 */
class CheckpointSigningKeyTest {

    @TempDir
    Path dataDirectory;

    @Test
    void theKeyMadeOnFirstStartIsTheKeyOfEveryLaterStart() throws Exception {
        CheckpointSigningKey first = CheckpointSigningKey.inDirectory(dataDirectory);
        CheckpointSigningKey second = CheckpointSigningKey.inDirectory(dataDirectory);
        assertThat(second.keyId()).isEqualTo(first.keyId()).isEqualTo(SigningKeys.keyId(first.x()));
        Path file = dataDirectory.resolve(CheckpointSigningKey.FILE_IN_DATA_DIRECTORY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] input = "anything".getBytes(StandardCharsets.UTF_8);
        assertThat(CheckpointSignature.verifies(SigningKeys.fromX(first.x()), input, second.sign(input))).isTrue();
        assertThat(Files.list(dataDirectory)).containsExactly(file);
    }

    @Test
    void anOperatorsPemKeyIsUsedWithItsOwnPublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = dataDirectory.resolve("operator.pem");
        Files.writeString(file, "# made by openssl genpkey -algorithm ed25519\n" + CheckpointSigningKey.pem(pair.getPrivate()));
        CheckpointSigningKey key = CheckpointSigningKey.fromFile(file);
        assertThat(key.x()).isEqualTo(SigningKeys.x(pair.getPublic()));
        byte[] input = "checkpoint".getBytes(StandardCharsets.UTF_8);
        assertThat(CheckpointSignature.verifies(pair.getPublic(), input, key.sign(input))).isTrue();
    }

    @Test
    void anUnreadableKeyFileStopsTheStart() throws Exception {
        Path file = dataDirectory.resolve("broken.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CheckpointSigningKey.fromFile(file)).isInstanceOf(IllegalStateException.class);
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Files.writeString(file, CheckpointSigningKey.pem(rsa.getPrivate()));
        assertThatThrownBy(() -> CheckpointSigningKey.fromFile(file)).isInstanceOf(IllegalStateException.class);
    }
}
