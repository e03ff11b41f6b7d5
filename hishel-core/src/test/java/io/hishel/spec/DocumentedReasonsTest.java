package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons quoted on the engine page of the documentation are the ones the engine gives. */
class DocumentedReasonsTest {

    private static final Path PAGE = Path.of("..", "src-docs", "src", "docs", "asciidoc", "engine.adoc");

    @Test
    void theEnginePageQuotesReasonsAsTheyAre() throws IOException {
        List<String> rows = Files.readAllLines(PAGE, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("| `") && line.split("\\|", -1).length == 5)
                .filter(line -> line.matches("\\| `[A-Z_]+` \\|.*"))
                .toList();

        assertThat(rows).isNotEmpty();
        for (String row : rows) {
            String[] cells = row.substring(1).split("\\|", -1);
            Reason reason = Reason.valueOf(cells[0].replace("`", "").trim());
            assertThat(cells[1].trim()).as(reason.name()).isEqualTo(reason.toString());
            assertThat(cells[2].replace("`", "").trim()).as(reason.name()).isEqualTo(reason.token());
            assertThat(cells[3].replace("`", "").trim()).as(reason.name()).isEqualTo(reason.forward().orElse(""));
        }
    }
}
