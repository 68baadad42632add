package dev.whereabouts.store.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A kit that cannot fail proves nothing: each broken store must fail the laws that describe its defect. */
class StoreContractCatchesBrokenStoresTest {

    @Test
    void aStoreThatIgnoresTheVersionFailsTheConditionalWriteLaws() {
        Set<String> failed = failedLaws(BrokenStores.VersionBlind.class);
        assertTrue(failed.containsAll(Set.of(
                "aStaleConditionalWriteConflictsAndChangesNothing()",
                "creatingAPoolThatAnotherWriterCreatedConflicts()",
                "randomChangeSequencesAgreeWithAModel()")), "failed laws: " + failed);
    }

    @Test
    void aStoreThatDropsReservationsFailsTheReservationLaws() {
        Set<String> failed = failedLaws(BrokenStores.ReservationBlind.class);
        assertTrue(failed.containsAll(Set.of(
                "aReservationIsCreateIfAbsent()",
                "removeReservationChecksTheHolder()",
                "listingSeesExactlyWhatWasWritten()")), "failed laws: " + failed);
    }

    @Test
    void aStoreThatForgetsFailsTheDurabilityLaws() {
        Set<String> failed = failedLaws(BrokenStores.Forgetful.class);
        assertTrue(failed.containsAll(Set.of(
                "valuesSurviveReopeningTheStore()",
                "concurrentWritersNeverLoseAnUpdate()")), "failed laws: " + failed);
    }

    private static Set<String> failedLaws(Class<?> contract) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(contract)).execute().testEvents();
        return tests.failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toSet());
    }
}
