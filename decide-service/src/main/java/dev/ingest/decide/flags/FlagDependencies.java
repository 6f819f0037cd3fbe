package dev.ingest.decide.flags;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a project's flags depend on each other ({@code type: flag} filters naming another flag's id), worked out as
 * PostHog works it out before evaluating (Kahn's algorithm over the flags' ids, {@code _compute_flag_dependencies} in
 * PostHog's flags cache): an order in which every flag comes after the flags it depends on, the flags that depend,
 * directly or not, on a flag that does not exist, and the flags caught in or behind a cycle, which are never
 * evaluated.
 *
 * <p>Built once per set of definitions: evaluation reads it for every request.
 */
public final class FlagDependencies {
    private final List<FeatureFlag> project;
    private final List<FeatureFlag> order;
    private final Set<FeatureFlag> missingDependency;
    private final Set<FeatureFlag> cyclic;
    private final Map<Long, FeatureFlag> byId;
    private final Map<FeatureFlag, List<Long>> chains = new IdentityHashMap<>();

    private FlagDependencies(List<FeatureFlag> project, List<FeatureFlag> order, Set<FeatureFlag> missingDependency,
            Set<FeatureFlag> cyclic) {
        this.project = project;
        this.order = order;
        this.missingDependency = missingDependency;
        this.cyclic = cyclic;
        Map<Long, FeatureFlag> ids = new HashMap<>();
        project.stream().filter(flag -> flag.id() != null).forEach(flag -> ids.putIfAbsent(flag.id(), flag));
        this.byId = Map.copyOf(ids);
        for (FeatureFlag flag : project) {
            chains.put(flag, chain(flag, byId));
        }
    }

    /** Every flag given, in the order given. */
    public List<FeatureFlag> project() {
        return project;
    }

    /** Every flag that can be evaluated, dependencies first (within a stage, in the order given). */
    public List<FeatureFlag> order() {
        return order;
    }

    /** Flags with a dependency that does not exist, directly or through another flag. */
    public Set<FeatureFlag> missingDependency() {
        return missingDependency;
    }

    /** Flags in a dependency cycle or depending on one. */
    public Set<FeatureFlag> cyclic() {
        return cyclic;
    }

    /** The flag with this id, if it is one of these. */
    public Optional<FeatureFlag> flag(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The ids {@code flag} (one of these) depends on, directly or not, dependencies first. */
    public List<Long> chain(FeatureFlag flag) {
        List<Long> chain = chains.get(flag);
        return chain != null ? chain : chain(flag, byId);
    }

    public static FlagDependencies of(Collection<FeatureFlag> flags) {
        List<FeatureFlag> nodes = List.copyOf(flags);
        Map<Long, Integer> byId = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id() != null) {
                byId.putIfAbsent(nodes.get(i).id(), i);
            }
        }
        List<Set<Integer>> dependents = new ArrayList<>();
        int[] inDegree = new int[nodes.size()];
        boolean[] missing = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            dependents.add(new HashSet<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> deps = new HashSet<>();
            for (String reference : references(nodes.get(i))) {
                Integer target = id(reference).map(byId::get).orElse(null);
                if (target == null) {
                    missing[i] = true;
                } else if (deps.add(target)) {
                    dependents.get(target).add(i);
                }
            }
            inDegree[i] = deps.size();
        }
        // Anything depending, through any chain, on a flag with a missing dependency has one too.
        Deque<Integer> spread = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (missing[i]) {
                spread.push(i);
            }
        }
        while (!spread.isEmpty()) {
            for (int dependent : dependents.get(spread.pop())) {
                if (!missing[dependent]) {
                    missing[dependent] = true;
                    spread.push(dependent);
                }
            }
        }
        TreeSet<Integer> stage = new TreeSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (inDegree[i] == 0) {
                stage.add(i);
            }
        }
        List<FeatureFlag> order = new ArrayList<>();
        while (!stage.isEmpty()) {
            TreeSet<Integer> next = new TreeSet<>();
            for (int i : stage) {
                order.add(nodes.get(i));
                for (int dependent : dependents.get(i)) {
                    if (--inDegree[dependent] == 0) {
                        next.add(dependent);
                    }
                }
            }
            stage = next;
        }
        Set<FeatureFlag> missingFlags = identitySet();
        Set<FeatureFlag> cyclic = identitySet();
        for (int i = 0; i < nodes.size(); i++) {
            if (missing[i]) {
                missingFlags.add(nodes.get(i));
            }
            if (inDegree[i] > 0) {
                cyclic.add(nodes.get(i));
            }
        }
        return new FlagDependencies(nodes, List.copyOf(order), Collections.unmodifiableSet(missingFlags),
                Collections.unmodifiableSet(cyclic));
    }

    /** The ids of the flags in or behind a cycle. */
    public Set<Long> cyclicIds() {
        Set<Long> ids = new HashSet<>();
        cyclic.forEach(flag -> ids.add(flag.id()));
        return ids;
    }

    private static Set<FeatureFlag> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** The keys of every flag filter of the flag's release conditions: the ids of the flags it depends on. */
    public static List<String> references(FeatureFlag flag) {
        List<String> keys = new ArrayList<>();
        for (FlagCondition condition : flag.filters().groups()) {
            for (PropertyCondition property : condition.properties()) {
                collect(property, keys);
            }
        }
        return keys;
    }

    private static void collect(PropertyCondition condition, List<String> keys) {
        switch (condition) {
            case PropertyFilter filter -> {
                if (filter.type() == PropertyType.FLAG) {
                    keys.add(filter.key());
                }
            }
            case PropertyGroup group -> group.values().forEach(value -> collect(value, keys));
        }
    }

    /** A flag filter's key as a flag id: PostHog stores the id, as text. */
    public static Optional<Long> id(String key) {
        String text = key.strip();
        if (!text.matches("-?\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }

    private static List<Long> chain(FeatureFlag flag, Map<Long, FeatureFlag> byId) {
        LinkedHashSet<Long> chain = new LinkedHashSet<>();
        visit(flag, byId, chain, new HashSet<>());
        return chain.isEmpty() ? List.of() : List.copyOf(chain);
    }

    private static void visit(FeatureFlag flag, Map<Long, FeatureFlag> byId, LinkedHashSet<Long> chain, Set<Long> path) {
        for (String reference : references(flag)) {
            Optional<Long> id = id(reference);
            if (id.isEmpty() || !byId.containsKey(id.get()) || chain.contains(id.get()) || !path.add(id.get())) {
                continue;
            }
            visit(byId.get(id.get()), byId, chain, path);
            path.remove(id.get());
            chain.add(id.get());
        }
    }
}
