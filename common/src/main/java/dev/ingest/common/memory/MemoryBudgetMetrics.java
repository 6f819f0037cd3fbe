package dev.ingest.common.memory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The budget on {@code /actuator/prometheus}: capacity, in use, high-water mark, refused charges. */
public final class MemoryBudgetMetrics {
    private MemoryBudgetMetrics() {}

    /** Registers the budget's meters and returns the budget. */
    public static MemoryBudget register(MemoryBudget budget, MeterRegistry registry) {
        Gauge.builder("ingest_memory_budget_capacity_bytes", budget, MemoryBudget::capacity)
                .description("Heap that requests in flight may hold together").register(registry);
        Gauge.builder("ingest_memory_budget_used_bytes", budget, MemoryBudget::used)
                .description("Heap held by requests in flight now").register(registry);
        Gauge.builder("ingest_memory_budget_high_water_bytes", budget, MemoryBudget::highWater)
                .description("The most requests in flight held at once since start").register(registry);
        FunctionCounter.builder("ingest_memory_budget_refused_total", budget, MemoryBudget::refused)
                .description("Requests refused (503) because the budget was in use").register(registry);
        return budget;
    }
}
