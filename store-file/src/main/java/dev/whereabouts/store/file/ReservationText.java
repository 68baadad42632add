package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.Reservation;
import java.util.List;

/** The content of one reservation file: the network, the address and who holds it. */
final class ReservationText {

    static final String KIND = "reservation";

    private ReservationText() {}

    static String text(Reservation r) {
        Owner o = r.owner();
        return RecordText.write(KIND, List.of(
                List.of("network", r.networkName()),
                List.of("ip", r.ip().toString()),
                List.of("owner", o.containerId(), o.ifName(), o.podRef())));
    }

    /**
     * Parses a reservation file.
     *
     * @throws IllegalArgumentException when the text is not a valid reservation file
     */
    static Reservation parse(String text) {
        List<List<String>> records = RecordText.read(KIND, text);
        if (records.size() != 3
                || !records.get(0).getFirst().equals("network") || records.get(0).size() != 2
                || !records.get(1).getFirst().equals("ip") || records.get(1).size() != 2
                || !records.get(2).getFirst().equals("owner") || records.get(2).size() != 4) {
            throw new IllegalArgumentException("a reservation file holds network, ip and owner records");
        }
        List<String> owner = records.get(2);
        return new Reservation(records.get(0).get(1), IpAddress.parse(records.get(1).get(1)),
                new Owner(owner.get(1), owner.get(2), owner.get(3)));
    }
}
