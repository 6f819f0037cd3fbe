package dev.ingest.common.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Rules over every source file of the repository (this test runs from common, the module every other depends on):
 * no reference to documents outside the repository, and no fully-qualified type name in code where an import would do.
 * Import order and unused imports are Checkstyle's (build/checkstyle.xml).
 */
class SourceHygieneTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", ".platform", "node_modules", ".mvn");
    /** Names of documents that live outside this repository (spelled in pieces so this file does not match). */
    private static final List<String> OUTSIDE = List.of("POSTHOG" + "_SPEC", "TEST" + "_VECTORS", "STACK" + "_NOTES",
            "../" + "shared", "/work" + "/");
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.@\"])((?:java|javax|jakarta|org|com|io|tools|dev|net)(?:\\.[a-z_][a-z0-9_]*)+)\\.([A-Z]\\w*)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+);");
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    private static List<Path> files(String suffix) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return SKIPPED_DIRECTORIES.contains(dir.getFileName().toString()) && !dir.equals(ROOT)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().endsWith(suffix)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    @Test
    void noFileReferencesADocumentOutsideTheRepository() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files("")) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException binary) {
                continue;
            }
            for (String outside : OUTSIDE) {
                if (text.contains(outside)) {
                    found.add(ROOT.relativize(file) + ": " + outside);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void codeNamesImportableTypesByTheirSimpleName() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files(".java")) {
            String source = Files.readString(file, StandardCharsets.UTF_8);
            Matcher packageName = PACKAGE.matcher(source);
            String pkg = packageName.find() ? packageName.group(1) : "";
            Map<String, String> imported = new HashMap<>();
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                String name = imports.group(1);
                imported.put(name.substring(name.lastIndexOf('.') + 1), name);
            }
            Set<String> declared = new HashSet<>();
            DECLARED.matcher(source).results().forEach(result -> declared.add(result.group(1)));
            Matcher qualified = QUALIFIED.matcher(codeOnly(afterImports(source)));
            while (qualified.find()) {
                String owner = qualified.group(1);
                String simple = qualified.group(2);
                String name = owner + "." + simple;
                boolean clash = declared.contains(simple) && !owner.equals(pkg)
                        || imported.containsKey(simple) && !imported.get(simple).equals(name)
                        || !owner.equals(pkg) && Files.exists(file.resolveSibling(simple + ".java"));
                if (!clash) {
                    found.add(ROOT.relativize(file) + ": " + name);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static String afterImports(String source) {
        Matcher last = Pattern.compile("(?m)^(?:import|package) [^\\n]*;\\s*$").matcher(source);
        int end = 0;
        while (last.find()) {
            end = last.end();
        }
        return source.substring(end);
    }

    /** The source with comments, string and character literals each replaced by a space. */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int skipTo = -1;
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                skipTo = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                skipTo = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                skipTo = end < 0 ? source.length() : end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != quote) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                skipTo = Math.min(j + 1, source.length());
            }
            if (skipTo >= 0) {
                code.append(' ');
                i = skipTo;
            } else {
                code.append(source.charAt(i));
                i++;
            }
        }
        return code.toString();
    }
}
