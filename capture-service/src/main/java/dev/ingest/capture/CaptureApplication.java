package dev.ingest.capture;

import dev.ingest.common.db.CommentOnlyRevisions;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** capture-service: the PostHog capture API in front of Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CaptureApplication {
    /** Applied migrations whose comments were rewritten keep validating (see {@link CommentOnlyRevisions}). */
    @Bean
    static CommentOnlyRevisions commentOnlyRevisions() {
        return new CommentOnlyRevisions();
    }

    /** Each service reads its own {@code <name>.yml}, so all three can share one classpath in the end-to-end tests. */
    public static final String CONFIG_NAME = "capture-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(CaptureApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
