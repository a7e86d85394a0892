package io.seatledger.api.http;

import java.util.UUID;
import java.util.regex.Pattern;

/** The shapes of the ids in paths: pools and seats are UUIDs we generate; organizations are named by the identity provider. */
public final class Ids {

    public static final String ORGANIZATION_ID_RULE = "must be 1 to 64 letters, digits, '.', '_', ':' or '-'";
    private static final Pattern ORGANIZATION_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private Ids() {
    }

    public static boolean isOrganizationId(String id) {
        return id != null && ORGANIZATION_ID.matcher(id).matches();
    }

    /** A pool or seat id from a path or body: anything but a UUID is refused before it reaches a handler. */
    public static String uuid(String field, String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id).toString();
            }
        } catch (IllegalArgumentException notUuid) {
            // refused below
        }
        throw new InvalidRequest(field, "must be a UUID");
    }

    public static String organization(String field, String id) {
        if (!isOrganizationId(id)) {
            throw new InvalidRequest(field, ORGANIZATION_ID_RULE);
        }
        return id;
    }
}
