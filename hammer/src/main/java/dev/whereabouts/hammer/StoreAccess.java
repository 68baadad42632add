package dev.whereabouts.hammer;

import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens the run's store directly through the SPI, so the checker reads what is really stored; the
 * provider is found as the plugin finds it ({@link StoreProviders}).
 */
final class StoreAccess {

    private StoreAccess() {}

    @SuppressWarnings("unchecked")
    static IpamStore open(HammerBackend backend) {
        var section = JsonMapper.builder().build().readValue("{" + backend.ipamFields() + "}", java.util.Map.class);
        return StoreProviders.discovered().open(new StoreConfig(section));
    }
}
