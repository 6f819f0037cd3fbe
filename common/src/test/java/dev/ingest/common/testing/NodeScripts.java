package dev.ingest.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of a module's {@code src/test/resources/sdk} with Node and the SDKs {@code ./platform test} installs
 * (posthog-node, posthog-js, playwright-core for Debian's Chromium).
 */
public final class NodeScripts {
    /** How the browser tests launch Chromium (common's test resources). */
    private static final String CHROMIUM = "chromium.cjs";

    private NodeScripts() {}

    /** Where the SDKs are; a test that needs them fails without them. */
    public static Path nodeModules() {
        String path = System.getenv("SDK_NODE_MODULES");
        assertThat(path).as("SDK_NODE_MODULES (./platform test installs the SDKs from npm)").isNotBlank();
        return Path.of(path);
    }

    public static String read(String name) throws IOException {
        try (InputStream in = NodeScripts.class.getResourceAsStream("/sdk/" + name)) {
            assertThat(in).as("test resource sdk/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs a script with these arguments and returns the last line it printed; fails when it fails. */
    public static String run(String script, Object... args) throws Exception {
        // Each script runs from a directory of its own, with the shared helpers it may require beside it.
        Path directory = Files.createTempDirectory("sdk-");
        Path file = directory.resolve(script);
        Files.writeString(file, read(script));
        Files.writeString(directory.resolve(CHROMIUM), read(CHROMIUM));
        List<String> command = new ArrayList<>(List.of("node", file.toString()));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("NODE_PATH", nodeModules().toString()));
        Path errors = Files.createTempFile("sdk-", ".err");
        builder.redirectError(errors.toFile());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(script + " failed: " + Files.readString(errors) + "\noutput:\n" + output).isZero();
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
