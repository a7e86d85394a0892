package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A subject's keyed digest: HMAC-SHA256, under its organization's own key (vault.org_keys), of the normalized
 * e-mail address (NFC, case folded; {@link Emails#normalize}). It names a subject in the vault and in erasure records
 * without the address, and cannot be computed, or compared across organizations, without the vault.
 */
public class SubjectDigests {

    private final JdbcTemplate jdbc;
    private final KeyEncryptionKey kek;
    private final TransactionTemplate ownTransaction;
    private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();

    public SubjectDigests(JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.kek = kek;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public String of(String orgId, String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.computeIfAbsent(orgId, this::orgKey));
            return HexFormat.of().formatHex(mac.doFinal(Emails.normalize(email).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The organization's key, made on first use; of two instances making it at once, the first stored wins. Made in
     * a transaction of its own: the caller's (a projection's) may roll back, and the key must not be remembered unstored.
     */
    private SecretKeySpec orgKey(String orgId) {
        String context = "org-key:" + orgId;
        ownTransaction.executeWithoutResult(status -> jdbc.update("insert into vault.org_keys (org_id, wrapped_key) values (?, ?) on conflict (org_id) do nothing",
                orgId, kek.wrap(KeyEncryptionKey.newDataKey(), context)));
        List<String> wrapped = jdbc.queryForList("select wrapped_key from vault.org_keys where org_id = ?", String.class, orgId);
        return new SecretKeySpec(kek.unwrap(wrapped.get(0), context), "HmacSHA256");
    }
}
