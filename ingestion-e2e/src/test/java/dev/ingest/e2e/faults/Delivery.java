package dev.ingest.e2e.faults;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What became of one load's events in ClickHouse: the uuids stored (rows per uuid read FINAL), set against the uuids
 * sent and acknowledged.
 *
 * @param stored distinct uuids of the project in {@code events}
 * @param lostUuids acknowledged and not stored
 * @param duplicatedUuids stored more than once even under FINAL
 * @param duplicated rows beyond the first of each uuid, under FINAL
 * @param unknownUuids stored but never sent by this load
 * @param storedUnacknowledged sent, not acknowledged (the request failed), stored all the same: allowed, a client
 *     retry carries the same uuid and collapses with it
 * @param copiesBeforeMerge rows before FINAL: redelivered copies not merged yet included
 */
record Delivery(long stored, Set<String> lostUuids, Set<String> duplicatedUuids, long duplicated, Set<String> unknownUuids,
        long storedUnacknowledged, long copiesBeforeMerge) {

    static Delivery of(Set<String> sent, Set<String> acknowledged, Map<String, Long> rowsPerUuid, long copiesBeforeMerge) {
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(rowsPerUuid.keySet());
        Set<String> duplicated = rowsPerUuid.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        long extraRows = rowsPerUuid.values().stream().mapToLong(c -> c - 1).sum();
        Set<String> unknown = rowsPerUuid.keySet().stream().filter(uuid -> !sent.contains(uuid)).collect(Collectors.toSet());
        long storedUnacknowledged = rowsPerUuid.keySet().stream()
                .filter(uuid -> sent.contains(uuid) && !acknowledged.contains(uuid)).count();
        return new Delivery(rowsPerUuid.size(), Set.copyOf(lost), Set.copyOf(duplicated), extraRows, Set.copyOf(unknown),
                storedUnacknowledged, copiesBeforeMerge);
    }

    long lost() {
        return lostUuids.size();
    }
}
