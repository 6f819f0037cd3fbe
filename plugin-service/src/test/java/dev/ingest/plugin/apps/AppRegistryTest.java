package dev.ingest.plugin.apps;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.geoip.GeoIpApp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AppRegistryTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<List<AppConfig>> rows = new AtomicReference<>(List.of());
    private final AppRegistry registry = new AppRegistry(team -> {
        reads.incrementAndGet();
        return rows.get();
    }, new BuiltInApps(new GeoIpApp(null, null)), Duration.ofSeconds(10), now::get);

    private static AppConfig row(long id, String app, String config) {
        return new AppConfig(id, 2, app, json(config), 0);
    }

    @Test
    void configurationIsCachedAndReReadAfterTheRefreshInterval() {
        rows.set(List.of(row(1, "property-flattener", "{}")));
        assertThat(registry.appsFor(2)).extracting(AppRegistry.ConfiguredApp::name).containsExactly("property-flattener");

        rows.set(List.of(row(1, "property-flattener", "{}"), row(2, "event-filter", "{'events':['x']}")));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(registry.appsFor(2)).hasSize(1);
        assertThat(reads).hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(registry.appsFor(2)).extracting(AppRegistry.ConfiguredApp::name)
                .containsExactly("property-flattener", "event-filter");
        assertThat(reads).hasValue(2);
    }

    @Test
    void unchangedRowsKeepTheirBuiltTransformers() {
        rows.set(List.of(row(1, "event-filter", "{'events':['x']}")));
        EventTransformer first = registry.appsFor(2).getFirst().transformer();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(registry.appsFor(2).getFirst().transformer()).isSameAs(first);

        rows.set(List.of(row(1, "event-filter", "{'events':['y']}")));
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(registry.appsFor(2).getFirst().transformer()).isNotSameAs(first);
    }

    @Test
    void disablingEveryAppEmptiesTheList() {
        rows.set(List.of(row(1, "geoip", "{}")));
        assertThat(registry.appsFor(2)).hasSize(1);
        rows.set(List.of());
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(registry.appsFor(2)).isEmpty();
    }

    @Test
    void anyDestinationsFollowsTheSourceOncePerRefreshAndSaysMaybeWhenItCannotTell() {
        AtomicReference<Object> any = new AtomicReference<>(false);
        AppRegistry global = new AppRegistry(new AppConfigSource() {
            @Override
            public List<AppConfig> enabledApps(long teamId) {
                return List.of();
            }

            @Override
            public boolean anyEnabled() {
                if (any.get() instanceof RuntimeException e) {
                    throw e;
                }
                return (Boolean) any.get();
            }
        }, new BuiltInApps(new GeoIpApp(null, null)), Duration.ofSeconds(10), now::get);
        assertThat(global.anyDestinations()).isFalse();
        any.set(true);
        assertThat(global.anyDestinations()).as("cached until the refresh").isFalse();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(global.anyDestinations()).isTrue();
        any.set(new IllegalStateException("database down"));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(global.anyDestinations()).isTrue();
    }
}
