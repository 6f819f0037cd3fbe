package dev.ingest.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maximum-rate HTTP load from wrk (Debian's package), a separate C process: on two cores a JVM load generator in the
 * benchmark's own JVM takes much of the CPU it is trying to measure. Bodies rotate through the given files; the
 * {@code __N__} placeholder in a body is replaced by a per-request counter (distinct ids vary).
 */
final class WrkRun {
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long errors) {}

    private WrkRun() {}

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/wrk"));
    }

    static Result run(URI target, String method, List<String> headers, List<byte[]> bodies, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("wrk");
        List<String> bodyFiles = new ArrayList<>();
        for (int i = 0; bodies != null && i < bodies.size(); i++) {
            Path file = dir.resolve("body-" + i);
            Files.write(file, bodies.get(i));
            bodyFiles.add(file.toString());
        }
        StringBuilder lua = new StringBuilder("local bodies = {}\n");
        for (String file : bodyFiles) {
            lua.append("do local f = io.open(\"").append(file).append("\", \"rb\"); table.insert(bodies, f:read(\"*all\")); f:close() end\n");
        }
        lua.append("wrk.method = \"").append(method).append("\"\n");
        for (String header : headers) {
            String[] parts = header.split(":", 2);
            lua.append("wrk.headers[\"").append(parts[0].trim()).append("\"] = \"").append(parts[1].trim()).append("\"\n");
        }
        lua.append("local n = 0\n");
        lua.append("request = function()\n  n = n + 1\n");
        if (!bodyFiles.isEmpty()) {
            lua.append("  local body = bodies[(n % #bodies) + 1]\n  body = string.gsub(body, \"__N__\", tostring(n))\n")
                    .append("  return wrk.format(nil, nil, nil, body)\n");
        } else {
            lua.append("  return wrk.format()\n");
        }
        lua.append("end\n");
        lua.append("done = function(summary, latency, requests)\n")
                .append("  io.write(string.format(\"RESULT %f %f %f %d\\n\", summary.requests / (summary.duration / 1e6),")
                .append(" latency:percentile(50) / 1000, latency:percentile(99) / 1000,")
                .append(" summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))\n")
                .append("end\n");
        Path script = dir.resolve("load.lua");
        Files.writeString(script, lua.toString());
        Process process = new ProcessBuilder("/usr/bin/wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", script.toString(), target.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Matcher result = Pattern.compile("RESULT (\\S+) (\\S+) (\\S+) (\\d+)").matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + output);
        }
        return new Result(Double.parseDouble(result.group(1)), Double.parseDouble(result.group(2)),
                Double.parseDouble(result.group(3)), Long.parseLong(result.group(4)));
    }

    static String describe() {
        return String.format(Locale.ROOT, "wrk (2 threads, a separate process)");
    }
}
