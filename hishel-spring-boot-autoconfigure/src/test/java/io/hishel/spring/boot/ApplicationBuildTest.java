package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.info.BuildProperties;

/** How the starter tells one build of the application from another (issue 17). */
class ApplicationBuildTest {

    @TempDir
    Path dir;

    @Test
    void aConfiguredIdentifierIsTakenAsItIs() {
        assertThat(ApplicationBuild.id(" git-3faea4a ", build("1.0", "2026-12-01T10:00:00Z"), null))
                .isEqualTo("git-3faea4a");
    }

    @Test
    void buildInformationTellsBuildsApartByVersionAndTime() {
        String first = ApplicationBuild.id(null, build("1.0", "2026-12-01T10:00:00Z"), null);

        assertThat(ApplicationBuild.id(null, build("1.0", "2026-12-01T10:00:00Z"), null)).isEqualTo(first);
        assertThat(ApplicationBuild.id(null, build("1.0", "2026-12-01T10:05:00Z"), null)).isNotEqualTo(first);
        assertThat(ApplicationBuild.id(null, build("1.1", "2026-12-01T10:00:00Z"), null)).isNotEqualTo(first);
        assertThat(first).matches("[0-9a-f]{16}");
    }

    @Test
    void withoutBuildInformationTheJarTellsTheBuild() throws Exception {
        Path jar = jar("1.0");
        String first = ApplicationBuild.code(jar.toFile());

        assertThat(ApplicationBuild.code(jar.toFile())).isEqualTo(first);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-04T12:00:00Z")));
        assertThat(ApplicationBuild.code(jar.toFile())).as("rebuilt").isNotEqualTo(first);
        assertThat(first).contains("Implementation-Version=1.0");
    }

    @Test
    void aFolderOfClassesIsToldByItsNewestFile() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/io/example"));
        Path type = Files.writeString(classes.resolve("Shop.class"), "classes");
        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
        String first = ApplicationBuild.code(dir.resolve("classes").toFile());

        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-12-01T10:01:00Z")));

        assertThat(ApplicationBuild.code(dir.resolve("classes").toFile())).as("recompiled").isNotEqualTo(first);
    }

    private static BuildProperties build(String version, String time) {
        Properties properties = new Properties();
        properties.setProperty("group", "io.example");
        properties.setProperty("artifact", "shop");
        properties.setProperty("version", version);
        properties.setProperty("time", time);
        return new BuildProperties(properties);
    }

    private Path jar(String version) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        Path jar = dir.resolve("shop.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream written = new JarOutputStream(out, manifest)) {
            written.flush();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T10:00:00Z")));
        return jar;
    }
}
