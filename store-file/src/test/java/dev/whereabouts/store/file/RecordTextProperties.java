package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The escaping and framing shared by every file of the store. */
class RecordTextProperties {

    @Provide
    Arbitrary<String> anyText() {
        // every UTF-16 unit, unpaired surrogates and NUL included, with separators made likely
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars(" %-\n\r\tu0aF").ofMaxLength(12),
                Arbitraries.of("", "-", "%", "%2D", "end 3", "-%"));
    }

    @Provide
    Arbitrary<List<List<String>>> records() {
        return anyText().list().ofMaxSize(5)
                .map(fields -> {
                    List<String> r = new ArrayList<>();
                    r.add("k");
                    r.addAll(fields);
                    return r;
                })
                .list().ofMaxSize(6);
    }

    @Property
    void anyFieldSurvivesEncodingAsOneSeparatorFreeAsciiToken(@ForAll("anyText") String value) {
        String encoded = RecordText.encode(value);
        assertFalse(encoded.isEmpty());
        assertTrue(encoded.chars().allMatch(c -> c > 0x20 && c < 0x7F), encoded);
        assertEquals(value, RecordText.decode(encoded));
    }

    @Property
    void recordsSurviveWritingAndReading(@ForAll("records") List<List<String>> records) {
        assertEquals(records, RecordText.read("test", RecordText.write("test", records)));
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void aFileCutShortAnywhereIsRejected(@ForAll("records") List<List<String>> records, @ForAll int cut) {
        String text = RecordText.write("test", records);
        String prefix = text.substring(0, Math.floorMod(cut, text.length()));
        assertThrows(IllegalArgumentException.class, () -> RecordText.read("test", prefix));
    }

    @Property
    void aFileOfAnotherKindIsRejected(@ForAll("records") List<List<String>> records) {
        String text = RecordText.write("pool", records);
        assertThrows(IllegalArgumentException.class, () -> RecordText.read("reservation", text));
    }
}
