package io.seatledger.api.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.seatledger.api.SeatLedgerApplication;
import io.seatledger.api.support.Api;
import io.seatledger.api.support.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The service as production runs it: tokens of an identity provider (here its public key), for this service's
 * audiences only, naming a well-formed organization; no dev tokens. A second instance of the service, on the
 * test JVM's embedded servers, configured so.
 */
class IdentityProviderTokensTest extends IntegrationTest {

    private static final String AUDIENCE = "seat-ledger";
    private static RSAKey identityProvider;
    private static ConfigurableApplicationContext production;
    private static Api api;

    @BeforeAll
    static void startWithAnIdentityProvider() throws Exception {
        identityProvider = new RSAKeyGenerator(2048).keyID("idp-key").generate();
        Path publicKey = Files.createTempFile("idp-public-key", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(identityProvider.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        production = new SpringApplicationBuilder(SeatLedgerApplication.class).profiles("test").run("--server.port=0",
                "--seatledger.node-id=identity-provider-instance", "--spring.main.banner-mode=off", "--seatledger.billing.reconciliation.interval=0s",
                "--seatledger.security.dev-tokens=false",
                "--" + BearerTokenSettings.PUBLIC_KEY + "=file:" + publicKey,
                "--" + BearerTokenSettings.AUDIENCES + "=" + AUDIENCE + ",another-name-of-this-service");
        api = new Api(production.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    @AfterAll
    static void stop() {
        if (production != null) {
            production.close();
        }
    }

    @Test
    void tokensForThisServiceAreAccepted() {
        String orgId = Api.newOrgId();
        entitlements(token(Map.of("aud", List.of(AUDIENCE), "org", orgId))).expectStatus().isOk();
        entitlements(token(Map.of("aud", List.of("some-other-app", "another-name-of-this-service"), "org", orgId))).expectStatus().isOk();
    }

    @Test
    void tokensForAnotherAudienceAreRefused() {
        String orgId = Api.newOrgId();
        entitlements(token(Map.of("aud", List.of("some-other-app"), "org", orgId))).expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(Api.PROBLEM_JSON).expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
        entitlements(token(Map.of("org", orgId))).expectStatus().isUnauthorized();
    }

    @Test
    void expiredTokensAreRefused() {
        String token = sign(new JWTClaimsSet.Builder().subject("ann").audience(AUDIENCE).claim("org", Api.newOrgId())
                .issueTime(Date.from(Instant.now().minusSeconds(7200))).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        entitlements(token).expectStatus().isUnauthorized();
    }

    @Test
    void tokensThatNeverExpireAreRefused() {
        String token = sign(new JWTClaimsSet.Builder().subject("ann").audience(AUDIENCE).claim("org", Api.newOrgId()).issueTime(new Date()).build());
        entitlements(token).expectStatus().isUnauthorized();
    }

    @Test
    void malformedOrganizationClaimsAreRefused() {
        for (Object org : List.of("acme corp", "../other-org", "x".repeat(65), "acme\u0000", 42, List.of("acme"))) {
            entitlements(token(Map.of("aud", List.of(AUDIENCE), "org", org))).expectStatus().isUnauthorized();
        }
    }

    @Test
    void noDevTokensAreIssued() {
        api.anonymous().post().uri("/api/v1/dev/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sub", "mallory", "org", "acme", "roles", List.of("admin"))).exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec entitlements(String token) {
        return api.withToken(token).get().uri("/api/v1/me/entitlements").exchange();
    }

    private static String token(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject("user-" + UUID.randomUUID()).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        claims.forEach(builder::claim);
        return sign(builder.build());
    }

    private static String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(identityProvider.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(identityProvider));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
