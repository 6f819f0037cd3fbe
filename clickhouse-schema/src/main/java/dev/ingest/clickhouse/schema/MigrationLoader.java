package dev.ingest.clickhouse.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the migrations named in {@code clickhouse/migrations/index.txt} (one file name a line, in order). An index
 * file, rather than a classpath scan, so that the same list loads from a directory and from a jar.
 */
public final class MigrationLoader {
    private static final String BASE = "clickhouse/migrations/";
    private static final Pattern FILE_NAME = Pattern.compile("^(\\d{4})_([a-z0-9_]+)\\.sql$");

    private MigrationLoader() {}

    public static List<Migration> load() {
        List<Migration> migrations = new ArrayList<>();
        for (String line : read(BASE + "index.txt").split("\n")) {
            String file = line.trim();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            Matcher matcher = FILE_NAME.matcher(file);
            if (!matcher.matches()) {
                throw new IllegalStateException("migration file name must be NNNN_name.sql: " + file);
            }
            int version = Integer.parseInt(matcher.group(1));
            if (!migrations.isEmpty() && migrations.getLast().version() >= version) {
                throw new IllegalStateException("migration versions must increase: " + file);
            }
            migrations.add(new Migration(version, matcher.group(2), read(BASE + file)));
        }
        return List.copyOf(migrations);
    }

    private static String read(String resource) {
        try (InputStream in = MigrationLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
