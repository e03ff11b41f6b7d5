package io.hishel.spring.boot;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.system.ApplicationHome;

/**
 * Which build of the application is running, as a short identifier for {@link BuildScopedStorage}.
 * In order: {@code hishel.storage.build-id}; Boot's {@link BuildProperties}
 * ({@code META-INF/build-info.properties}, written by the {@code build-info} goal of the Spring Boot
 * Maven and Gradle plugins), whose build time changes with every build; or the application's code
 * itself: for a jar its manifest, size and modification time, for a folder of classes (an IDE,
 * {@code spring-boot:run}) the newest modification time in it.
 */
final class ApplicationBuild {

    private static final Logger log = LoggerFactory.getLogger(ApplicationBuild.class);

    /** Enough for a development folder; a larger tree is told by its size and root instead. */
    private static final int MAX_FILES_WALKED = 20_000;

    private ApplicationBuild() {
    }

    /**
     * The identifier of the running build.
     *
     * @param configured  {@code hishel.storage.build-id}, or null
     * @param build       the build information, or null when the build wrote none
     * @param application the application's main class, whose jar or folder tells the build otherwise;
     *                    null to let Boot deduce it
     * @return a short identifier: the configured one as it is, else 16 hexadecimal digits
     */
    static String id(@Nullable String configured, @Nullable BuildProperties build, @Nullable Class<?> application) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (build != null) {
            return digest("build-info " + build.getGroup() + ":" + build.getArtifact() + ":" + build.getVersion()
                    + "@" + build.getTime());
        }
        ApplicationHome home = application != null ? new ApplicationHome(application) : new ApplicationHome();
        return digest(code(home.getSource()));
    }

    /** What the application's code is made of, cheaply: no file is read whole. */
    static String code(@Nullable File source) {
        if (source == null) {
            return "unknown";
        }
        Path path = source.toPath();
        try {
            if (Files.isRegularFile(path)) {
                StringBuilder text = new StringBuilder("jar ").append(Files.size(path)).append(' ')
                        .append(Files.getLastModifiedTime(path).toMillis());
                try (JarFile jar = new JarFile(source)) {
                    Manifest manifest = jar.getManifest();
                    if (manifest != null) {
                        manifest.getMainAttributes().forEach((name, value) -> text.append(' ').append(name).append('=')
                                .append(value));
                    }
                }
                return text.toString();
            }
            try (Stream<Path> files = Files.walk(path)) {
                long newest = files.filter(Files::isRegularFile).limit(MAX_FILES_WALKED).mapToLong(ApplicationBuild::modified).max().orElse(0);
                return "classes " + path.toAbsolutePath() + " " + newest;
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("hishel cannot tell the application's build from {} ({}); entries are scoped to the path only."
                    + " Set hishel.storage.build-id, or write build-info with the Spring Boot build plugin.", path, e.toString());
            return "unreadable " + path.toAbsolutePath();
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
