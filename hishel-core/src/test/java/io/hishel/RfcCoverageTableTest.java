package io.hishel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the RFC coverage table of the documentation true: every section a test claims with
 * {@link Rfc} is a row, and every row names exactly the test classes that claim its section.
 */
class RfcCoverageTableTest {

    private static final Path TABLE = Path.of("..", "src-docs", "src", "docs", "asciidoc", "rfc-coverage.adoc");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");

    record Row(String section, String status, Set<String> tests) {
    }

    @Test
    void theCoverageTableNamesExactlyTheTestsThatClaimEachSection() throws IOException {
        Map<String, Set<String>> claimed = claimedSections();
        Map<String, Row> rows = tableRows();

        assertThat(rows.keySet()).as("sections claimed by tests but missing from %s", TABLE)
                .containsAll(claimed.keySet());
        for (Row row : rows.values()) {
            Set<String> expected = claimed.getOrDefault(row.section(), Set.of());
            assertThat(row.tests()).as("test classes listed for %s", row.section())
                    .containsExactlyInAnyOrderElementsOf(expected);
            if (row.status().startsWith("implemented")) {
                assertThat(row.tests()).as("an implemented section needs a test: %s", row.section()).isNotEmpty();
            }
        }
    }

    private static Map<String, Row> tableRows() throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
            if (!line.startsWith("| RFC ")) {
                continue;
            }
            String[] cells = line.substring(1).split("\\|", -1);
            assertThat(cells).as("a row has four cells: %s", line).hasSize(4);
            String section = cells[0].trim();
            Set<String> tests = Arrays.stream(cells[3].split(","))
                    .map(name -> name.replace("`", "").trim())
                    .filter(name -> !name.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(rows.put(section, new Row(section, cells[2].trim(), tests))).as("duplicate row %s", section).isNull();
        }
        return rows;
    }

    private static Map<String, Set<String>> claimedSections() throws IOException {
        Map<String, Set<String>> claimed = new TreeMap<>();
        for (Class<?> type : testClasses()) {
            List<Rfc> annotations = new ArrayList<>();
            if (type.getAnnotation(Rfc.class) != null) {
                annotations.add(type.getAnnotation(Rfc.class));
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.getAnnotation(Rfc.class) != null) {
                    annotations.add(method.getAnnotation(Rfc.class));
                }
            }
            for (Rfc rfc : annotations) {
                for (String section : rfc.value()) {
                    claimed.computeIfAbsent(section, key -> new TreeSet<>()).add(type.getSimpleName());
                }
            }
        }
        assertThat(claimed).as("no @Rfc annotations found under %s", TEST_CLASSES.toAbsolutePath()).isNotEmpty();
        return claimed;
    }

    private static List<Class<?>> testClasses() throws IOException {
        try (Stream<Path> files = Files.walk(TEST_CLASSES)) {
            List<Class<?>> classes = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith("Test.class")).toList()) {
                String name = TEST_CLASSES.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                try {
                    classes.add(Class.forName(name.substring(0, name.length() - ".class".length())));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
            return classes;
        }
    }
}
