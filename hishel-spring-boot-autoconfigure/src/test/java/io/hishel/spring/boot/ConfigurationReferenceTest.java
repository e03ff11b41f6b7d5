package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference cannot drift from the code: every property in the metadata that the
 * configuration processor generates, and every field of a rule, is listed in the docs, each with
 * its description in the metadata.
 */
class ConfigurationReferenceTest {

    private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
    private static final Path REFERENCE = Path.of("..", "src-docs", "src", "docs", "asciidoc", "configuration.adoc");

    @Test
    void everyPropertyHasADescriptionAndIsInTheConfigurationReference() throws IOException {
        String generated = Files.readString(METADATA);
        // Only the properties, not the groups that hold them.
        String metadata = generated.substring(generated.indexOf("\"properties\""), generated.indexOf("\"hints\""));
        String reference = Files.readString(REFERENCE);
        List<String> names = new ArrayList<>();
        Matcher property = Pattern.compile("\"name\"\\s*:\\s*\"(hishel\\.[^\"]+)\"[^}]*?\"sourceType\"").matcher(metadata);
        while (property.find()) {
            names.add(property.group(1));
        }
        for (Field field : HishelProperties.Rule.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                names.add("hishel.rules[n]." + field.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
            }
        }

        assertThat(names).hasSizeGreaterThan(40);
        assertThat(names).allSatisfy(name -> assertThat(reference).as("configuration.adoc lists " + name)
                .contains("`" + name + "`"));
        assertThat(metadata).doesNotContain("\"description\": \"\"");
        Matcher undocumented = Pattern.compile("\\{\\s*\"name\"\\s*:\\s*\"hishel\\.[^\"]+\"(?:(?!\"description\")[^}])*\"sourceType\"[^}]*}")
                .matcher(metadata);
        assertThat(undocumented.find()).as("a hishel.* property without a description").isFalse();
    }
}
