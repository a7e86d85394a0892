package io.seatledger.api.erasure;

import io.seatledger.messages.common.Emails;
import io.seatledger.projections.ErasedAddresses;
import io.seatledger.query.Page;
import io.seatledger.query.seatpool.PoolHistory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Shows erased addresses as {@value ErasedAddresses#ERASED} in what is read straight from stored events: the history
 * payloads. Every text value that is an e-mail address is looked up by digest, so the stored form never has to say which
 * fields hold addresses. The stored form itself is not changed. Audit entries are not masked: their hashes cover what
 * they record, and an auditor must be able to recompute them from an export (docs/decisions.md, "Erasure").
 */
public class ErasedDetails {

    private final ErasedAddresses addresses;

    public ErasedDetails(ErasedAddresses addresses) {
        this.addresses = addresses;
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
                    object.put(field.getKey(), ErasedAddresses.ERASED);
                } else {
                    replace(orgId, field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isString() && erased(orgId, array.get(i).stringValue())) {
                    array.set(i, ErasedAddresses.ERASED);
                } else {
                    replace(orgId, array.get(i));
                }
            }
        }
    }

    private boolean erased(String orgId, String text) {
        return Emails.isValid(text) && ErasedAddresses.ERASED.equals(addresses.shown(orgId, text));
    }
}
