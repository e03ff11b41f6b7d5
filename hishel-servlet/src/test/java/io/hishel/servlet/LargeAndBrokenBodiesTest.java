package io.hishel.servlet;

import io.hishel.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies larger than the heap, and bodies that never arrive whole. */
class LargeAndBrokenBodiesTest extends FilterTestSupport {

    @TempDir
    Path folder;

    @Test
    void a100MiBBodyGoesThroughAMissAndAHitInAHeapOf64MiB() throws Exception {
        long size = 100L * 1024 * 1024;
        ChildJvm child = ChildJvm.start("64m", LargeBodyThroughFilter.class, folder.resolve("large.db").toString(),
                Long.toString(size));

        String written = child.awaitLine("WRITTEN ").substring("WRITTEN ".length());
        String miss = child.awaitLine("MISS ");
        String hit = child.awaitLine("HIT ");
        String calls = child.awaitLine("CALLS ");

        assertThat(miss).isEqualTo("MISS " + written + " " + size + " from-cache=false");
        assertThat(hit).isEqualTo("HIT " + written + " " + size + " from-cache=true");
        assertThat(calls).startsWith("CALLS 1 max-heap ");
        assertThat(Long.parseLong(calls.substring(calls.lastIndexOf(' ') + 1))).isLessThan(size);
        assertThat(child.awaitExit()).isZero();
    }

    @Test
    void aClientThatDisconnectsMidBodyLeavesNothingVisible() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        CountDownLatch handlerDone = new CountDownLatch(1);
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'b');
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(
                io.hishel.policy.CacheOptions.builder().maxEntrySize(512L * 1024 * 1024).build())))
                .route("/download", (request, response) -> {
                    try {
                        response.setHeader("Cache-Control", "max-age=600");
                        var out = response.getOutputStream();
                        if (request.getHeader("X-Complete") == null) {
                            for (int i = 0; i < 16; i++) {
                                out.write(piece);
                            }
                            out.flush();
                            clientGone.await(10, TimeUnit.SECONDS);
                        }
                        for (int i = 0; i < 256; i++) {
                            out.write(piece);
                        }
                    } finally {
                        handlerDone.countDown();
                    }
                });

        try (Socket socket = RawHttp.open(server.port, "/download")) {
            InputStream in = socket.getInputStream();
            RawHttp.readAtLeast(in, 256 * 1024);
        }
        clientGone.countDown();
        assertThat(handlerDone.await(10, TimeUnit.SECONDS)).isTrue();

        // Waits, if need be, for the abandoned request to land, then finds nothing stored and asks the application.
        HttpResponse<byte[]> next = server.client.send(server.request("/download").header("X-Complete", "yes").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(next.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(next.body()).hasSize(256 * piece.length);
        assertThat(server.calls("/download")).isEqualTo(2);
    }
}
