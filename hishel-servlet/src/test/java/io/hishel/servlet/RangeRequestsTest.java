package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.storage.StorageOptions;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9110 §14 over HTTP: a GET with Range whose full response is stored is answered from storage
 * with the part, on every storage, and a large body is entered at the chunk of the part.
 */
class RangeRequestsTest extends FilterTestSupport {

    /** Three chunks and a bit of the storages' 64 KiB, each byte telling its offset. */
    private static final byte[] VIDEO = new byte[3 * 65536 + 1000];

    static {
        for (int i = 0; i < VIDEO.length; i++) {
            VIDEO[i] = (byte) ('a' + i % 26);
        }
    }

    private final TestStorages storages = new TestStorages();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void closeStorages() throws Exception {
        stopServer();
        server = null;
        storage = null;
        storages.close();
    }

    private void startOn(TestStorages.Kind kind) throws Exception {
        storage = storages.open(kind, StorageOptions.builder().clock(clock).build());
        start().route("/video", (request, response) -> {
            calls.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=600");
            response.setHeader("ETag", "\"v1\"");
            response.setContentType("video/mp4");
            response.setContentLength(VIDEO.length);
            response.getOutputStream().write(VIDEO);
        });
        server.get("/video");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !stored("/video").isEmpty());
    }

    private static String slice(int first, int lastInclusive) {
        return new String(Arrays.copyOfRange(VIDEO, first, lastInclusive + 1), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(TestStorages.Kind.class)
    void aStoredResponseAnswersOneRangeWithThePart(TestStorages.Kind kind) throws Exception {
        startOn(kind);
        int far = 2 * 65536 + 100;

        HttpResponse<String> middle = server.get("/video", "Range", "bytes=" + far + "-" + (far + 99));
        HttpResponse<String> suffix = server.get("/video", "Range", "bytes=-10");
        HttpResponse<String> open = server.get("/video", "Range", "bytes=65530-");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range"))
                .hasValue("bytes " + far + "-" + (far + 99) + "/" + VIDEO.length);
        assertThat(middle.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(middle.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(middle.headers().firstValue("Content-Length")).hasValue("100");
        assertThat(middle.body()).isEqualTo(slice(far, far + 99));
        assertThat(middle.headers().firstValue("Cache-Status")).hasValueSatisfying(
                status -> assertThat(status).contains("hit"));
        assertThat(suffix.body()).isEqualTo(slice(VIDEO.length - 10, VIDEO.length - 1));
        assertThat(open.body()).isEqualTo(slice(65530, VIDEO.length - 1));
        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(value = TestStorages.Kind.class, names = "MEMORY")
    void aRangeItCannotSatisfyIsA416AndOthersGetTheWholeResponse(TestStorages.Kind kind) throws Exception {
        startOn(kind);

        HttpResponse<String> past = server.get("/video", "Range", "bytes=" + VIDEO.length + "-");
        HttpResponse<String> several = server.get("/video", "Range", "bytes=0-9, 20-29");
        HttpResponse<String> otherVersion = server.get("/video", "Range", "bytes=0-9", "If-Range", "\"v0\"");
        HttpResponse<String> sameVersion = server.get("/video", "Range", "bytes=0-9", "If-Range", "\"v1\"");

        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + VIDEO.length);
        assertThat(past.body()).isEmpty();
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).hasSize(VIDEO.length);
        assertThat(otherVersion.statusCode()).isEqualTo(200);
        assertThat(otherVersion.body()).hasSize(VIDEO.length);
        assertThat(sameVersion.statusCode()).isEqualTo(206);
        assertThat(sameVersion.body()).isEqualTo(slice(0, 9));
        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(TestStorages.Kind.class)
    void aMissAsksTheApplicationForAllStoresItAndAnswersThePart(TestStorages.Kind kind) throws Exception {
        storage = storages.open(kind, StorageOptions.builder().clock(clock).build());
        start().route("/video", (request, response) -> {
            calls.incrementAndGet();
            assertThat(request.getHeader("Range")).as("the application is asked for all of it").isNull();
            response.setHeader("Cache-Control", "max-age=600");
            response.setContentLength(VIDEO.length);
            response.getOutputStream().write(VIDEO);
        });
        int far = 2 * 65536 + 7;

        HttpResponse<String> miss = server.get("/video", "Range", "bytes=" + far + "-" + (far + 9));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !stored("/video").isEmpty());
        HttpResponse<String> whole = server.get("/video");

        assertThat(miss.statusCode()).isEqualTo(206);
        assertThat(miss.headers().firstValue("Content-Range")).hasValue("bytes " + far + "-" + (far + 9) + "/" + VIDEO.length);
        assertThat(miss.body()).isEqualTo(slice(far, far + 9));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(slice(0, VIDEO.length - 1));
        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(value = TestStorages.Kind.class, names = "MEMORY")
    void aMissWithoutAContentLengthGetsTheWholeResponseAndTheNextRangeComesFromStorage(TestStorages.Kind kind)
            throws Exception {
        storage = storages.open(kind, StorageOptions.builder().clock(clock).build());
        start().route("/stream", (request, response) -> {
            calls.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=600");
            response.getOutputStream().write(VIDEO, 0, 1000);
            response.flushBuffer(); // chunked: the length is not known when the head goes out
            response.getOutputStream().write(VIDEO, 1000, VIDEO.length - 1000);
        });

        HttpResponse<String> miss = server.get("/stream", "Range", "bytes=0-9");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !stored("/stream").isEmpty());
        HttpResponse<String> hit = server.get("/stream", "Range", "bytes=0-9");

        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.body()).hasSize(VIDEO.length);
        assertThat(hit.statusCode()).isEqualTo(206);
        assertThat(hit.body()).isEqualTo(slice(0, 9));
        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(value = TestStorages.Kind.class, names = "MEMORY")
    void aMissWhoseRangeItCannotSatisfyIsA416AndTheWholeBodyIsStored(TestStorages.Kind kind) throws Exception {
        storage = storages.open(kind, StorageOptions.builder().clock(clock).build());
        start().route("/short", (request, response) -> {
            calls.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=600");
            response.setContentLength(10);
            response.getOutputStream().write(VIDEO, 0, 10);
        });

        HttpResponse<String> miss = server.get("/short", "Range", "bytes=100-");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !stored("/short").isEmpty());

        assertThat(miss.statusCode()).isEqualTo(416);
        assertThat(miss.headers().firstValue("Content-Range")).hasValue("bytes */10");
        assertThat(server.get("/short").body()).isEqualTo(slice(0, 9));
        assertThat(calls).hasValue(1);
    }
}
