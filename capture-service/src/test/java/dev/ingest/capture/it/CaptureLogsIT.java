package dev.ingest.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logs never carry a full project token or personal API key, whatever the request did. */
class CaptureLogsIT {
    @Test
    void tokensAndPersonalKeysNeverReachTheLogs() {
        TestingCapture capture = TestingCapture.get();
        String token = TestingCapture.newToken();
        capture.createProject(token);
        String unknown = "phc_unknown_" + UUID.randomUUID().toString().replace("-", "");
        String personal = "phx_" + UUID.randomUUID().toString().replace("-", "");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
        try {
            for (String key : new String[] {token, unknown, personal}) {
                String[] bodies = {
                    "{\"api_key\":\"" + key + "\",\"event\":\"e\",\"distinct_id\":\"d\"}",
                    "{\"api_key\":\"" + key + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"not-a-uuid\"}",
                    "{\"api_key\":\"" + key + "\",\"event\":\"e\",",
                    "{\"api_key\":\"" + key + "\",\"batch\":[{\"event\":\"e\",\"distinct_id\":\"d\",\"properties\":{\"$cookieless_mode\":1}}]}"
                };
                for (String body : bodies) {
                    capture.post("/e/", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
                    capture.post("/e/?compression=gzip", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
                }
            }
        } finally {
            root.detachAppender(appender);
        }
        for (ILoggingEvent event : appender.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain(token).doesNotContain(unknown).doesNotContain(personal);
        }
    }
}
