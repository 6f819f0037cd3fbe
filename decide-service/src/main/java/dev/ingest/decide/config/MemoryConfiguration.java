package dev.ingest.decide.config;

import dev.ingest.common.http.BudgetedBodyFilter;
import dev.ingest.common.memory.ChargedReader;
import dev.ingest.common.memory.MemoryBudget;
import dev.ingest.common.memory.MemoryBudgetMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The in-flight memory budget and the filter that reads every request body within it, before any controller. */
@Configuration(proxyBeanMethods = false)
public class MemoryConfiguration {
    @Bean
    MemoryBudget memoryBudget(DecideProperties properties, MeterRegistry metrics) {
        return MemoryBudgetMetrics.register(MemoryBudget.ofHeapFraction(properties.memory().heapFraction()), metrics);
    }

    @Bean
    FilterRegistrationBean<BudgetedBodyFilter> budgetedBodyFilter(MemoryBudget budget, DecideProperties properties) {
        DecideProperties.Memory memory = properties.memory();
        FilterRegistrationBean<BudgetedBodyFilter> registration = new FilterRegistrationBean<>(new BudgetedBodyFilter(
                budget, properties.maxBodySize().toBytes(), memory.request().toBytes(), memory.bodyTimeout(),
                memory.retryAfter(), ChargedReader.systemClock()));
        // After CORS (a preflight needs no body), before everything that reads one.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
