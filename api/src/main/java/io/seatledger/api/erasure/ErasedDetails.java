package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import io.seatledger.messages.common.PersonalData;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.query.Page;
import io.seatledger.query.seatpool.PoolHistory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Shows stored addresses in what is read straight from stored events, the history payloads: a sealed address opened
 * ({@link SubjectKeys}; {@value ErasedAddresses#ERASED} once its key is destroyed), an address stored in clear before
 * sealing looked up by digest and shown as {@value ErasedAddresses#ERASED} if erased. Every text value is looked at, so
 * the stored form never has to say which fields hold addresses. The stored form itself is not changed. Audit entries
 * are not opened: their hashes cover what they record (the sealed form), and an auditor must be able to recompute them
 * from an export (docs/decisions.md, "Erasure").
 */
public class ErasedDetails {

    private final ErasedAddresses addresses;
    private final SubjectKeys keys;

    public ErasedDetails(ErasedAddresses addresses, SubjectKeys keys) {
        this.addresses = addresses;
        this.keys = keys;
    }


    public Page<PoolHistory.Entry> shownHistory(String orgId, Page<PoolHistory.Entry> page) {
        List<PoolHistory.Entry> entries = page.items().stream().map(entry -> {
            JsonNode payload = shown(orgId, entry.payload());
            return payload == entry.payload() ? entry : new PoolHistory.Entry(entry.sequence(), entry.globalPosition(), entry.type(),
                    entry.occurredAt(), (ObjectNode) payload, entry.metadata());
        }).toList();
        return new Page<>(entries, page.next());
    }

    /** {@code node}, or a copy with each erased address replaced when it holds one. */
    JsonNode shown(String orgId, JsonNode node) {
        if (node == null || !mentionsErased(orgId, node)) {
            return node;
        }
        JsonNode copy = node.deepCopy();
        replace(orgId, copy);
        return copy;
    }

    private boolean mentionsErased(String orgId, JsonNode node) {
        if (node.isString()) {
            return erased(orgId, node.stringValue());
        }
        for (JsonNode child : node) {
            if (mentionsErased(orgId, child)) {
                return true;
            }
        }
        return false;
    }

    private void replace(String orgId, JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : List.copyOf(object.properties())) {
                if (field.getValue().isString() && erased(orgId, field.getValue().stringValue())) {
                    object.put(field.getKey(), shownText(orgId, field.getValue().stringValue()));
                } else {
                    replace(orgId, field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isString() && erased(orgId, array.get(i).stringValue())) {
                    array.set(i, shownText(orgId, array.get(i).stringValue()));
                } else {
                    replace(orgId, array.get(i));
                }
            }
        }
    }

    /** Whether the text is shown otherwise than stored: a sealed address, or an erased one stored in clear. */
    private boolean erased(String orgId, String text) {
        return PersonalData.isSealed(text) || Emails.isValid(text) && ErasedAddresses.ERASED.equals(addresses.shown(orgId, text));
    }

    private String shownText(String orgId, String text) {
        return PersonalData.isSealed(text) ? keys.reveal(orgId, text) : ErasedAddresses.ERASED;
    }
}
