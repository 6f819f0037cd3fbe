package dev.ingest.plugin.group;

import dev.ingest.common.kafka.OutgoingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code $groupidentify} upserts of one poll batch, written in one statement at {@link #flush()} instead of one
 * autocommitted statement (and one WAL flush) per event. Upserts of the same group within the batch are merged in
 * event order first (a later {@code $group_set} wins, as it would have one statement later), so the group's version
 * moves by one per batch. The event rows do not wait for it: they carry only the group keys. One instance per batch
 * and thread.
 */
public final class GroupBatch {
    private final GroupRepository groups;
    private final TransactionTemplate transactions;
    private final Runnable fence;
    /** Sorted, so concurrent batches lock the groups they share in the same order and never deadlock. */
    private final Map<GroupRepository.GroupKey, Pending> pending = new TreeMap<>(Comparator
            .comparingLong(GroupRepository.GroupKey::teamId).thenComparingInt(GroupRepository.GroupKey::typeIndex)
            .thenComparing(GroupRepository.GroupKey::key));

    public GroupBatch(GroupRepository groups) {
        this(groups, null, () -> {});
    }

    /**
     * @param transactions the upsert runs in one, after {@code fence}, which throws when the batch may no longer
     *     write (its partitions were taken over: the consumer's partition leases); null: no transaction, no fence
     */
    public GroupBatch(GroupRepository groups, TransactionTemplate transactions, Runnable fence) {
        this.groups = groups;
        this.transactions = transactions;
        this.fence = fence;
    }

    /** A group's properties to merge, and the creation time should the group be new. */
    public record Pending(ObjectNode set, Instant createdAt) {}

    public void upsert(long teamId, int typeIndex, String key, ObjectNode set, Instant timestamp) {
        GroupRepository.GroupKey groupKey = GroupRepository.GroupKey.of(teamId, typeIndex, key);
        Pending before = pending.get(groupKey);
        if (before == null) {
            pending.put(groupKey, new Pending(set.deepCopy(), timestamp));
        } else {
            ObjectNode merged = JsonNodeFactory.instance.objectNode();
            merged.setAll(before.set());
            merged.setAll(set.deepCopy());
            pending.put(groupKey, new Pending(merged, before.createdAt()));
        }
    }

    /** Writes every pending upsert in one statement; returns the groups' rows for ClickHouse. */
    public List<OutgoingRecord> flush() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<OutgoingRecord> rows = new ArrayList<>(pending.size());
        List<GroupRepository.Group> written = transactions == null ? groups.upsertAll(pending)
                : transactions.execute(status -> {
                    fence.run();
                    return groups.upsertAll(pending);
                });
        for (GroupRepository.Group group : written) {
            rows.add(GroupRepository.row(group));
        }
        pending.clear();
        return rows;
    }
}
