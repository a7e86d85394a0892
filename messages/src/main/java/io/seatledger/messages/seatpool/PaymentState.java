package io.seatledger.messages.seatpool;

/**
 * One payment of a pool as the billing provider holds it now (read from the provider, never from the notification):
 * the charge's amount and what was refunded of it, and, when the notification was about a dispute over it, that
 * dispute's id and where it stands.
 */
public record PaymentState(String chargeId, long amount, long amountRefunded, String currency, String disputeId, DisputeStatus dispute) {

    /** Where a dispute stands, in the terms a pool acts on. */
    public enum DisputeStatus {
        /** The payer's bank questions the payment (an inquiry or a chargeback) and has not decided. */
        OPEN,
        /** Decided for the seller, or the inquiry closed without a chargeback. */
        WON,
        /** Decided for the payer: the money went back. */
        LOST
    }

    public boolean fullyRefunded() {
        return amount > 0 && amountRefunded >= amount;
    }
}
