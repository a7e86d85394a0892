package io.seatledger.api.erasure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.projections.ErasedAddresses;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals e-mail addresses for the events and opens them for the answers: AES-256-GCM under the subject's own data key
 * (vault.subject_keys, wrapped by the key-encryption key), bound to the organization and the subject's digest. The
 * sealed form ({@link PersonalData}) names the subject by its keyed digest, which is all a pool needs to compare.
 * Once an erasure destroyed the key, the address reads {@value ErasedAddresses#ERASED} wherever it was stored, and the
 * subject cannot be sealed again in that organization. Keys are remembered for a second, so that another instance's
 * erasure is seen within that second.
 */
public class SubjectKeys {

    static final java.time.Duration REMEMBERED = java.time.Duration.ofSeconds(1);
    private static final int IV_BYTES = 12;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SubjectDigests digests;
    private final JdbcTemplate jdbc;
    private final KeyEncryptionKey kek;
    private final TransactionTemplate ownTransaction;
    private final Cache<String, Optional<SecretKeySpec>> keys = Caffeine.newBuilder().expireAfterWrite(REMEMBERED).maximumSize(100_000).build();

    public SubjectKeys(SubjectDigests digests, JdbcTemplate jdbc, KeyEncryptionKey kek, PlatformTransactionManager transactions) {
        this.digests = digests;
        this.jdbc = jdbc;
        this.kek = kek;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The subject's keyed digest in the organization. */
    public String digest(String orgId, String email) {
        return digests.of(orgId, email);
    }

    /** {@code email} sealed for the organization's events; refused ({@code SUBJECT_ERASED}) for an erased subject. */
    public String seal(String orgId, String email) {
        return sealAll(orgId, List.of(email)).get(0);
    }

    /**
     * Each address sealed, in order, with one vault round trip for all; refused if any of them was erased. What is not
     * a valid address becomes {@code ""}, which the pool refuses as such: input shaped like a sealed address (copied
     * from an audit export, say) is never passed on as one.
     */
    public List<String> sealAll(String orgId, List<String> emails) {
        List<String> subjects = emails.stream().map(email -> Emails.isValid(email) ? digests.of(orgId, email) : null).toList();
        Set<String> named = new LinkedHashSet<>(subjects);
        named.remove(null);
        Map<String, SecretKeySpec> subjectKeys = keysMadeIfMissing(orgId, named);
        List<String> sealed = new ArrayList<>(emails.size());
        for (int i = 0; i < emails.size(); i++) {
            if (subjects.get(i) == null) {
                sealed.add("");
                continue;
            }
            SecretKeySpec key = subjectKeys.get(subjects.get(i));
            if (key == null) {
                String where = emails.size() == 1 ? "this address" : "the address of seats[" + i + "]";
                throw new SeatLedgerException(ErrorCode.SUBJECT_ERASED, where + " was erased from this organization and cannot be given a seat again");
            }
            sealed.add(seal(orgId, subjects.get(i), key, Emails.canonical(emails.get(i))));
        }
        return sealed;
    }

    /**
     * What a stored address reads as: a sealed one opened, or {@value ErasedAddresses#ERASED} once its key is destroyed
     * (or when it does not open under its organization's key: it was moved or altered); one stored in clear as it is.
     */
    public String reveal(String orgId, String stored) {
        if (!PersonalData.isSealed(stored)) {
            return stored;
        }
        return open(orgId, stored, known(orgId, Set.of(PersonalData.digest(stored))));
    }

    /** {@link #reveal} for many stored values of one organization, with one vault round trip for the keys not remembered. */
    public Map<String, String> revealAll(String orgId, Collection<String> stored) {
        Set<String> subjects = new LinkedHashSet<>();
        for (String value : stored) {
            if (PersonalData.isSealed(value)) {
                subjects.add(PersonalData.digest(value));
            }
        }
        Map<String, Optional<SecretKeySpec>> known = subjects.isEmpty() ? Map.of() : known(orgId, subjects);
        Map<String, String> shown = new HashMap<>();
        for (String value : stored) {
            if (value != null) {
                shown.put(value, PersonalData.isSealed(value) ? open(orgId, value, known) : value);
            }
        }
        return shown;
    }

    /** Which of these subjects' keys are destroyed now (read from the vault, not remembered). */
    public Set<String> destroyedAmong(String orgId, Collection<String> subjects) {
        if (subjects.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.query(con -> {
            var statement = con.prepareStatement("select subject_digest from vault.subject_keys where org_id = ? and subject_digest = any(?) and wrapped_key is null");
            statement.setString(1, orgId);
            statement.setArray(2, con.createArrayOf("text", subjects.toArray()));
            return statement;
        }, (row, i) -> row.getString(1)));
    }

    /** Forgets the subject's key: it was just destroyed. */
    void forget(String orgId, String digest) {
        keys.invalidate(cacheKey(orgId, digest));
    }

    private Map<String, SecretKeySpec> keysMadeIfMissing(String orgId, Set<String> subjects) {
        if (subjects.isEmpty()) {
            return Map.of();
        }
        List<String> unknown = subjects.stream().filter(digest -> keys.getIfPresent(cacheKey(orgId, digest)) == null).toList();
        Set<String> justStored = new HashSet<>();
        if (!unknown.isEmpty()) {
            Map<String, byte[]> made = new HashMap<>();
            List<String> keyIds = new ArrayList<>(unknown.size());
            List<String> wrapped = new ArrayList<>(unknown.size());
            for (String digest : unknown) {
                byte[] dataKey = KeyEncryptionKey.newDataKey();
                made.put(digest, dataKey);
                keyIds.add(UUID.randomUUID().toString());
                wrapped.add(kek.wrap(dataKey, context(orgId, digest)));
            }
            // one statement for all; the keys it stored are the ones just made (another instance's, on a conflict, are read below)
            List<String> stored = ownTransaction.execute(status -> jdbc.query(con -> {
                var statement = con.prepareStatement("""
                        insert into vault.subject_keys (org_id, subject_digest, key_id, wrapped_key)
                        select ?, made.digest, made.key_id, made.wrapped from unnest(?::text[], ?::text[], ?::text[]) as made(digest, key_id, wrapped)
                        where not exists (select 1 from vault.erasures e where e.org_id = ? and e.subject_digest = made.digest)
                        on conflict (org_id, subject_digest) do nothing
                        returning subject_digest""");
                statement.setString(1, orgId);
                statement.setArray(2, con.createArrayOf("text", unknown.toArray()));
                statement.setArray(3, con.createArrayOf("text", keyIds.toArray()));
                statement.setArray(4, con.createArrayOf("text", wrapped.toArray()));
                statement.setString(5, orgId);
                return statement;
            }, (row, i) -> row.getString(1)));
            stored.forEach(digest -> keys.put(cacheKey(orgId, digest), Optional.of(new SecretKeySpec(made.get(digest), "AES"))));
            justStored.addAll(stored);
        }
        Map<String, Optional<SecretKeySpec>> known = known(orgId, subjects);
        Map<String, SecretKeySpec> usable = new HashMap<>();
        known.forEach((digest, key) -> key.ifPresent(present -> usable.put(digest, present)));
        // a key remembered from before another instance's erasure must not seal: the erasure's record decides. The keys
        // just stored were stored by a statement that found no such record.
        List<String> remembered = subjects.stream().filter(digest -> !justStored.contains(digest)).toList();
        if (!remembered.isEmpty()) {
            usable.keySet().removeAll(jdbc.query(con -> {
                var statement = con.prepareStatement("select subject_digest from vault.erasures where org_id = ? and subject_digest = any(?)");
                statement.setString(1, orgId);
                statement.setArray(2, con.createArrayOf("text", remembered.toArray()));
                return statement;
            }, (row, i) -> row.getString(1)));
        }
        return usable;
    }

    /** Each subject's key, remembered or read now: empty when destroyed or missing. */
    private Map<String, Optional<SecretKeySpec>> known(String orgId, Set<String> subjects) {
        Map<String, Optional<SecretKeySpec>> known = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String digest : subjects) {
            Optional<SecretKeySpec> key = keys.getIfPresent(cacheKey(orgId, digest));
            if (key == null) {
                missing.add(digest);
            } else {
                known.put(digest, key);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Optional<SecretKeySpec>> read = new HashMap<>();
            missing.forEach(digest -> read.put(digest, Optional.empty()));
            jdbc.query(con -> {
                var statement = con.prepareStatement("select subject_digest, wrapped_key from vault.subject_keys where org_id = ? and subject_digest = any(?)");
                statement.setString(1, orgId);
                Array digestsArray = con.createArrayOf("text", missing.toArray());
                statement.setArray(2, digestsArray);
                return statement;
            }, row -> {
                String digest = row.getString(1);
                String wrapped = row.getString(2);
                read.put(digest, wrapped == null ? Optional.empty()
                        : Optional.of(new SecretKeySpec(kek.unwrap(wrapped, context(orgId, digest)), "AES")));
            });
            read.forEach((digest, key) -> {
                keys.put(cacheKey(orgId, digest), key);
                known.put(digest, key);
            });
        }
        return known;
    }

    private String seal(String orgId, String digest, SecretKeySpec key, String address) {
        byte[] iv = KeyEncryptionKey.randomBytes(IV_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, key, iv, aad(orgId, digest), address.getBytes(StandardCharsets.UTF_8));
        return PersonalData.PREFIX + digest + ":" + ENCODER.encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    private String open(String orgId, String sealed, Map<String, Optional<SecretKeySpec>> known) {
        String digest = PersonalData.digest(sealed);
        Optional<SecretKeySpec> key = known.getOrDefault(digest, Optional.empty());
        if (key.isEmpty()) {
            return ErasedAddresses.ERASED;
        }
        byte[] bytes = DECODER.decode(sealed.substring(PersonalData.PREFIX.length() + digest.length() + 1));
        if (bytes.length <= IV_BYTES) {
            return ErasedAddresses.ERASED;
        }
        try {
            byte[] plain = crypt(Cipher.DECRYPT_MODE, key.get(), Arrays.copyOfRange(bytes, 0, IV_BYTES), aad(orgId, digest),
                    Arrays.copyOfRange(bytes, IV_BYTES, bytes.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalStateException doesNotOpen) {
            return ErasedAddresses.ERASED;
        }
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] iv, byte[] aad, byte[] input) {
        try {
            return AesGcm.crypt(mode, key, iv, aad, input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed address does not open", e);
        }
    }

    private static byte[] aad(String orgId, String digest) {
        return (PersonalData.PREFIX + orgId + ":" + digest).getBytes(StandardCharsets.UTF_8);
    }

    private static String context(String orgId, String digest) {
        return "subject-key:" + orgId + ":" + digest;
    }

    private static String cacheKey(String orgId, String digest) {
        return orgId + "\n" + digest;
    }
}
