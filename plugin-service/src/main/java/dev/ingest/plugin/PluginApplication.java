package dev.ingest.plugin;

import dev.ingest.common.db.CommentOnlyRevisions;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** plugin-service: apps, person processing and event processing between capture's topic and ClickHouse's. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PluginApplication {
    /** Applied migrations whose comments were rewritten keep validating (see {@link CommentOnlyRevisions}). */
    @Bean
    static CommentOnlyRevisions commentOnlyRevisions() {
        return new CommentOnlyRevisions();
    }

    public static final String CONFIG_NAME = "plugin-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(PluginApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
