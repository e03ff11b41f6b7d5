package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asynchronous requests and long streams: stored when they complete, or passed through undamaged. */
class AsyncAndStreamingTest extends FilterTestSupport {

    private final ExecutorService worker = Executors.newCachedThreadPool();

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void anAsynchronousResponseIsStoredWhenItCompletes() throws Exception {
        start().route("/async", (request, response) -> {
            AsyncContext async = request.startAsync();
            worker.submit(() -> {
                try {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.setContentType("text/plain");
                    response.getWriter().write("computed later");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });

        HttpResponse<String> miss = server.get("/async");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !stored("/async").isEmpty());
        HttpResponse<String> hit = server.get("/async");

        assertThat(miss.body()).isEqualTo("computed later");
        assertThat(hit.body()).isEqualTo("computed later");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(server.calls("/async")).isEqualTo(1);
    }

    @Test
    void anAsynchronousResponseThatTimesOutIsNotStored() throws Exception {
        start().route("/slow-async", (request, response) -> {
            AsyncContext async = request.startAsync();
            async.setTimeout(200);
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("partial");
        });

        HttpResponse<String> timedOut = server.get("/slow-async");

        assertThat(timedOut.statusCode()).isEqualTo(500);
        assertThat(stored("/slow-async")).isEmpty();
    }

    @Test
    void serverSentEventsArriveOneByOneAndAreNotStored() throws Exception {
        CountDownLatch firstReceived = new CountDownLatch(1);
        start().route("/events", (request, response) -> {
            AsyncContext async = request.startAsync();
            async.setTimeout(30_000);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            worker.submit(() -> {
                try {
                    var writer = response.getWriter();
                    writer.write("data: one\n\n");
                    writer.flush();
                    // The second event is written only once the client has the first: nothing is held back.
                    if (!firstReceived.await(10, TimeUnit.SECONDS)) {
                        writer.write("data: TIMEOUT\n\n");
                    }
                    writer.write("data: two\n\n");
                    writer.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        });

        HttpResponse<InputStream> stream = server.client.send(server.request("/events").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder received = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("data: one");
            firstReceived.countDown();
            for (String line; (line = lines.readLine()) != null; ) {
                received.append(line).append('\n');
            }
        }

        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
        assertThat(received.toString()).isEqualTo("\ndata: two\n\n");
        assertThat(stored("/events")).isEmpty();
    }
}
