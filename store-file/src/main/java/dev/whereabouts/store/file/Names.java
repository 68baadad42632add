package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import java.util.regex.Pattern;

/**
 * The names the store accepts. Network and node names become directory and file names, so they are
 * held to the CNI identifier alphabet, which has no {@code /}, no NUL and cannot spell {@code .} or
 * {@code ..}; nothing a configuration says can then reach outside the data directory. Container ids
 * and interface names only ever appear escaped inside files, but they are checked too, so that the
 * store never records an attachment that the CNI runtime could not have sent.
 */
final class Names {

    /** CNI spec: container ids and (since 1.1) network names. */
    private static final Pattern ID = AttachmentId.ID_PATTERN;
    private static final int MAX_NAME = 200;

    private Names() {}

    /** A {@code network_name} or node name: empty, or an identifier short enough for a file name. */
    static void checkScope(String field, String value) {
        if (value.isEmpty()) {
            return;
        }
        if (value.length() > MAX_NAME || !ID.matcher(value).matches()) {
            throw new InvalidConfigException(field, printable(value),
                    "the file store needs a name matching " + ID.pattern() + " of at most " + MAX_NAME + " characters");
        }
    }

    /**
     * An owner's container id and interface name, as the runtime passes them in {@code CNI_CONTAINERID}
     * and {@code CNI_IFNAME} (hence code 4). Empty values are allowed: entries written by old upstream
     * versions carry no interface name.
     */
    static void checkOwner(Owner owner) {
        String id = owner.containerId();
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            throw badEnv("CNI_CONTAINERID", id, "must match " + ID.pattern());
        }
        String ifName = owner.ifName();
        if (!ifName.isEmpty() && !validIfName(ifName)) {
            throw badEnv("CNI_IFNAME", ifName, "must be 1-15 characters, not '.' or '..', without '/', ':' or"
                    + " whitespace");
        }
    }

    /** CNI spec section 1: an interface name is 1-15 characters, not . or .., and has no / : or space. */
    static boolean validIfName(String name) {
        if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == 0 || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    private static IpamException badEnv(String variable, String value, String problem) {
        return new IpamException(IpamException.INVALID_ENVIRONMENT, "invalid environment variable " + variable,
                "value '" + printable(value) + "': " + problem);
    }

    /** Keeps control characters out of error messages and logs. */
    static String printable(String value) {
        return RecordText.encode(value.length() > MAX_NAME ? value.substring(0, MAX_NAME) + "..." : value);
    }
}
