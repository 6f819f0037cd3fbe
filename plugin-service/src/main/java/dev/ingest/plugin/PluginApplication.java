package dev.ingest.plugin;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** plugin-service: apps, person processing and event processing between capture's topic and ClickHouse's. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PluginApplication {
    public static final String CONFIG_NAME = "plugin-service";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(PluginApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
