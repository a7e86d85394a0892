package io.seatledger.projections;

/**
 * What the read models show for an e-mail address: the address, or {@value #ERASED} once its subject was erased in
 * the organization. The projections ask it for every address they write, so that a rebuild shows erased addresses
 * erased, as the live read models do after an erasure scrubbed them.
 */
@FunctionalInterface
public interface ErasedAddresses {

    /** What an erased address reads as, everywhere. */
    String ERASED = "[erased]";

    /** For read models that no erasure concerns (tests of other things). */
    ErasedAddresses NONE = (orgId, email) -> email;

    String shown(String orgId, String email);
}
