package io.hishel.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.spring.boot.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17: a stored response does not outlive a redeploy. Applications of two builds, told apart
 * as Boot tells them ({@code META-INF/build-info.properties}, here through
 * {@code spring.info.build.location}), share one SQLite file: each serves only its own entries,
 * while a restart of the same build finds its entries again.
 */
class RedeployTest {

    @TempDir
    Path dir;

    /** One port for every start: the port is part of the key, as for any origin (RFC 9111 §2). */
    private final int port = freePort();

    @Test
    void entriesWrittenByAnotherBuildAreNotServed() throws Exception {
        Path version1 = buildInfo("1.0.0", "2026-12-01T10:00:00Z");
        Path version2 = buildInfo("1.0.1", "2026-12-02T10:00:00Z");

        String stored;
        try (ConfigurableApplicationContext first = start(version1)) {
            stored = get(first, "/annotated").body();
            assertThat(get(first, "/annotated").body()).isEqualTo(stored);
        }
        try (ConfigurableApplicationContext restarted = start(version1)) {
            HttpResponse<String> again = get(restarted, "/annotated");
            assertThat(again.body()).as("the same build, restarted").isEqualTo(stored);
            assertThat(again.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
        }
        try (ConfigurableApplicationContext redeployed = start(version2)) {
            HttpResponse<String> fresh = get(redeployed, "/annotated");
            assertThat(fresh.headers().firstValue("Cache-Status").orElseThrow()).doesNotContain("; hit");
            assertThat(fresh.body()).as("computed by the new build").isEqualTo("annotated 1");
        }
    }

    @Test
    void serveOtherBuildsSharesTheEntriesOfEveryBuild() throws Exception {
        String stored;
        try (ConfigurableApplicationContext first = start(buildInfo("1.0.0", "2026-12-01T10:00:00Z"),
                "hishel.storage.serve-other-builds=true")) {
            stored = get(first, "/annotated").body();
        }
        try (ConfigurableApplicationContext redeployed = start(buildInfo("1.0.1", "2026-12-02T10:00:00Z"),
                "hishel.storage.serve-other-builds=true")) {
            HttpResponse<String> answer = get(redeployed, "/annotated");
            assertThat(answer.body()).isEqualTo(stored);
            assertThat(answer.headers().firstValue("Cache-Status").orElseThrow()).startsWith("Hishel; hit");
        }
    }

    private Path buildInfo(String version, String time) throws IOException {
        Path file = dir.resolve("build-info-" + version + ".properties");
        Files.writeString(file, "build.group=io.example\nbuild.artifact=shop\nbuild.name=shop\nbuild.version="
                + version + "\nbuild.time=" + time + "\n");
        return file;
    }

    private ConfigurableApplicationContext start(Path buildInfo, String... properties) {
        return new SpringApplicationBuilder(CachedApplication.class)
                .properties("server.port=" + port, "spring.main.banner-mode=off",
                        "spring.info.build.location=" + buildInfo.toUri(),
                        "hishel.storage.sqlite.path=" + dir.resolve("shared.db"))
                .properties(properties)
                .run();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort()).get(path);
    }
}
