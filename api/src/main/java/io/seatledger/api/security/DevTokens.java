package io.seatledger.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The embedded default's token issuer: an RSA key kept in the data directory (so tokens survive restarts)
 * signs tokens for whatever subject, organization and roles a developer asks for. Never active in production.
 */
public class DevTokens {

    /** A URL, as issuers are: Spring Security converts the claim to one on every request, and a plain name costs an exception each time. */
    public static final String ISSUER = "https://dev-tokens.seatledger.invalid";
    static final Duration VALIDITY = Duration.ofHours(12);

    private final RSAKey key;
    private final Clock clock;

    private DevTokens(RSAKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** The key in {@code dataDirectory}, created on first use. */
    public static DevTokens inDirectory(Path dataDirectory, Clock clock) {
        Path file = dataDirectory.resolve("dev-token-key.json");
        try {
            if (Files.exists(file)) {
                return new DevTokens(RSAKey.parse(Files.readString(file)), clock);
            }
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(dataDirectory);
            Path temporary = Files.createTempFile(dataDirectory, "dev-token-key", ".tmp");
            Files.writeString(temporary, key.toJSONString());
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own permissions protect it
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new DevTokens(key, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the dev token key in " + dataDirectory, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the dev token key in " + file + " is unreadable; delete it to make a new one", e);
        }
    }

    public RSAPublicKey publicKey() {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String issue(String subject, String orgId, String email, List<String> roles) {
        return issue(subject, orgId, email, roles, VALIDITY);
    }

    /** A token that expires {@code validity} from now. */
    public String issue(String subject, String orgId, String email, List<String> roles, Duration validity) {
        Date now = Date.from(clock.instant());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject(subject).issueTime(now).expirationTime(Date.from(clock.instant().plus(validity)))
                .jwtID(UUID.randomUUID().toString())
                .claim("org", orgId).claim("email", email).claim("roles", roles)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
        return jwt.serialize();
    }
}
