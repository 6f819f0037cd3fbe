package dev.ingest.common.kafka;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/** The Kafka beans capture and plugin share: the sink, a readiness check, and a producer listener that logs no keys. */
@Configuration(proxyBeanMethods = false)
public class KafkaSupportConfiguration {
    /** Replaces Spring Kafka's default, which would log keys (they start with the project token) on send failures. */
    @Bean
    ProducerListener<Object, Object> kafkaProducerListener() {
        return KafkaLogging.producerListenerWithoutContents();
    }

    @Bean
    RecordSink recordSink(KafkaTemplate<String, byte[]> template) {
        return new KafkaRecordSink(template);
    }

    @Bean(destroyMethod = "close")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka) {
        return new KafkaHealthIndicator(String.join(",", kafka.getBootstrapServers()));
    }
}
