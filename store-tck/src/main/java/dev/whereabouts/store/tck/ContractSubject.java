package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.spi.IpamStore;

/**
 * What every group of laws needs from the test that runs it. {@link StoreContract} implements it;
 * a store author never does.
 *
 * @since 0.1
 */
public interface ContractSubject {

    /** The client the current law started with. */
    IpamStore store();

    /** Another client on the same backend; closed by the kit after the law. */
    IpamStore newClient();
}
