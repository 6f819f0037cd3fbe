package dev.ingest.decide;

import dev.ingest.common.db.CommentOnlyRevisions;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** decide-service: feature flags for the SDKs, remote config, and the management API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DecideApplication {
    /** Applied migrations whose comments were rewritten keep validating (see {@link CommentOnlyRevisions}). */
    @Bean
    static CommentOnlyRevisions commentOnlyRevisions() {
        return new CommentOnlyRevisions();
    }

    public static final String CONFIG_NAME = "decide-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(DecideApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
