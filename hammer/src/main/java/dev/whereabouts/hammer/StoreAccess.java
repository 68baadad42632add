package dev.whereabouts.hammer;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.ServiceLoader;
import tools.jackson.databind.json.JsonMapper;

/** Opens the run's store directly through the SPI, so the checker reads what is really stored. */
final class StoreAccess {

    private StoreAccess() {}

    @SuppressWarnings("unchecked")
    static IpamStore open(HammerBackend backend) {
        var section = JsonMapper.builder().build().readValue("{" + backend.ipamFields() + "}", java.util.Map.class);
        String name = (String) section.get("datastore");
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class)) {
            if (p.name().equals(name)) {
                return p.open(new StoreConfig(section));
            }
        }
        throw new IllegalStateException("no store provider named " + name);
    }
}
