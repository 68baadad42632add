package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.AttachmentId;
import java.util.List;
import java.util.Map;

/**
 * A loaded network configuration: the top-level fields the engine reads, the {@code ipam} section,
 * {@code CNI_ARGS} and the environment of the call.
 *
 * @param cniVersion {@code cniVersion}, {@code "0.1.0"} when absent (as the CNI library)
 * @param name the CNI network {@code name}
 * @param ipam the checked {@code ipam} section
 * @param validAttachments {@code cni.dev/valid-attachments} (or {@code cni.dev/attachments}) of a GC
 * @param args the parsed {@code CNI_ARGS}
 * @param env the environment of the call ({@code NODENAME} is read from it)
 */
public record NetworkConfig(String cniVersion, String name, IpamSection ipam, List<AttachmentId> validAttachments,
        CniArgs args, Map<String, String> env) {

    /** Copies the collections. */
    public NetworkConfig {
        validAttachments = List.copyOf(validAttachments);
        env = Map.copyOf(env);
    }
}
