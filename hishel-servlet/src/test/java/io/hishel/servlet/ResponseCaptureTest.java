package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The response wrapper behaves as the container's response would, and what is stored is exactly
 * what the client received.
 */
class ResponseCaptureTest extends FilterTestSupport {

    @Test
    void aWriterEncodesWithTheCharsetTheApplicationChoseAndTheHitHasTheSameBytes() throws Exception {
        start().route("/utf8", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("café ☕");
        }).route("/latin1", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/plain");
            response.getWriter().write("café");
        });

        HttpResponse<byte[]> miss = bytes("/utf8");
        HttpResponse<byte[]> hit = bytes("/utf8");
        HttpResponse<byte[]> latin1 = bytes("/latin1");
        HttpResponse<byte[]> latin1Hit = bytes("/latin1");

        assertThat(miss.body()).isEqualTo("café ☕".getBytes(StandardCharsets.UTF_8));
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(hit.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        assertThat(latin1.body()).isEqualTo("café".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1Hit.body()).isEqualTo(latin1.body());
        assertThat(latin1Hit.headers().firstValue("Content-Type")).hasValue("text/plain;charset=ISO-8859-1");
        assertThat(server.calls("/utf8")).isEqualTo(1);
    }

    @Test
    void aFlushCommitsTheHeadersAndTheRestOfTheBodyStillArrivesAndIsStoredWhole() throws Exception {
        List<Boolean> committed = new CopyOnWriteArrayList<>();
        start().route("/flushed", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getOutputStream().write("first part, ".getBytes(StandardCharsets.US_ASCII));
            response.setHeader("X-Before-Commit", "yes");
            committed.add(response.isCommitted());
            response.flushBuffer();
            committed.add(response.isCommitted());
            response.setHeader("X-After-Commit", "ignored");
            response.setStatus(500);
            response.getOutputStream().write("second part".getBytes(StandardCharsets.US_ASCII));
        });

        HttpResponse<String> miss = server.get("/flushed");
        HttpResponse<String> hit = server.get("/flushed");

        assertThat(committed).containsExactly(false, true);
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.body()).isEqualTo("first part, second part");
        assertThat(miss.headers().firstValue("X-Before-Commit")).hasValue("yes");
        assertThat(miss.headers().firstValue("X-After-Commit")).isEmpty();
        assertThat(hit.body()).isEqualTo("first part, second part");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(hit.headers().firstValue("Content-Length")).hasValue("23");
        assertThat(hit.headers().firstValue("X-After-Commit")).isEmpty();
    }

    @Test
    void aBodyLargerThanTheBufferStreamsAndIsStoredWhole() throws Exception {
        byte[] body = new byte[1024 * 1024 + 17];
        Arrays.fill(body, (byte) 'z');
        body[body.length - 1] = '!';
        start().route("/big", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            for (int offset = 0; offset < body.length; offset += 1000) {
                response.getOutputStream().write(body, offset, Math.min(1000, body.length - offset));
            }
        });

        HttpResponse<byte[]> miss = bytes("/big");
        HttpResponse<byte[]> hit = bytes("/big");

        assertThat(miss.body()).isEqualTo(body);
        assertThat(hit.body()).isEqualTo(body);
        assertThat(hit.headers().firstValue("Content-Length")).hasValue(Integer.toString(body.length));
        assertThat(server.calls("/big")).isEqualTo(1);
    }

    @Test
    void aBodyOverTheMaximumEntrySizeStreamsThroughAndIsNotStored() throws Exception {
        byte[] body = new byte[300 * 1024];
        Arrays.fill(body, (byte) 'a');
        start(builder -> builder.policy(new io.hishel.policy.SpecificationPolicy(
                io.hishel.policy.CacheOptions.builder().maxEntrySize(100 * 1024).build())))
                .route("/huge", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=60");
                    response.getOutputStream().write(body);
                });

        HttpResponse<byte[]> first = bytes("/huge");
        HttpResponse<byte[]> second = bytes("/huge");

        assertThat(first.body()).isEqualTo(body);
        assertThat(second.body()).isEqualTo(body);
        assertThat(stored("/huge")).isEmpty();
        assertThat(server.calls("/huge")).isEqualTo(2);
    }

    @Test
    void aDeclaredContentLengthIsKeptAndTheResponseCommitsWhenItIsWritten() throws Exception {
        List<Boolean> committed = new CopyOnWriteArrayList<>();
        start().route("/length", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentLength(5);
            response.getOutputStream().write("12345".getBytes(StandardCharsets.US_ASCII));
            committed.add(response.isCommitted());
        });

        HttpResponse<String> miss = server.get("/length");
        HttpResponse<String> hit = server.get("/length");

        assertThat(committed).containsExactly(true);
        assertThat(miss.headers().firstValue("Content-Length")).hasValue("5");
        assertThat(hit.body()).isEqualTo("12345");
        assertThat(hit.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void sendErrorReachesTheContainersErrorHandlingAndIsNotStored() throws Exception {
        start().route("/missing", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("X-Kept", "yes");
            response.sendError(404, "no such thing");
        });

        HttpResponse<String> first = server.get("/missing");
        server.get("/missing");

        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(first.headers().firstValue("X-Kept")).hasValue("yes");
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=body-written-by-container");
        assertThat(server.calls("/missing")).isEqualTo(2);
    }

    @Test
    void sendRedirectIsPassedToTheContainer() throws Exception {
        start().route("/old", (request, response) -> response.sendRedirect("/new"))
                .route("/moved", (request, response) -> response.sendRedirect("/newer", 301));

        HttpResponse<String> found = server.get("/old");
        HttpResponse<String> moved = server.get("/moved");

        assertThat(found.statusCode()).isEqualTo(302);
        assertThat(found.headers().firstValue("Location").orElseThrow()).endsWith("/new");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("Location").orElseThrow()).endsWith("/newer");
    }

    @Test
    void resetDiscardsStatusHeadersAndBodyAndResetBufferOnlyTheBody() throws Exception {
        start().route("/reset", (request, response) -> {
            response.setStatus(500);
            response.setHeader("X-Junk", "junk");
            response.getWriter().write("junk");
            response.reset();
            response.setHeader("Cache-Control", "max-age=60");
            response.getOutputStream().write("clean".getBytes(StandardCharsets.US_ASCII));
        }).route("/reset-buffer", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("draft");
            response.resetBuffer();
            response.getWriter().write("final");
        });

        HttpResponse<String> reset = server.get("/reset");
        HttpResponse<String> resetHit = server.get("/reset");
        HttpResponse<String> resetBuffer = server.get("/reset-buffer");

        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).isEqualTo("clean");
        assertThat(reset.headers().firstValue("X-Junk")).isEmpty();
        assertThat(resetHit.body()).isEqualTo("clean");
        assertThat(resetBuffer.body()).isEqualTo("final");
    }

    @Test
    void resetAfterCommitThrowsAsTheContainersWould() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        start().route("/late-reset", (request, response) -> {
            response.getWriter().write("sent");
            response.flushBuffer();
            try {
                response.reset();
            } catch (IllegalStateException expected) {
                seen.add("refused");
            }
        });

        assertThat(server.get("/late-reset").body()).isEqualTo("sent");
        assertThat(seen).containsExactly("refused");
    }

    @Test
    void localeContentTypeAndHeadersReadBackAsSet() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        start().route("/props", (request, response) -> {
            response.setLocale(Locale.forLanguageTag("de-CH"));
            response.setContentType("text/html; charset=UTF-8");
            response.addHeader("X-Multi", "a");
            response.addHeader("X-Multi", "b");
            response.setIntHeader("X-Int", 7);
            seen.add(response.getContentType());
            seen.add(response.getCharacterEncoding());
            seen.add(String.join(",", response.getHeaders("X-Multi")));
            seen.add(response.getHeader("X-Int"));
            seen.add(Boolean.toString(response.containsHeader("content-type")));
            response.getWriter().write("ok");
        });

        HttpResponse<String> answer = server.get("/props");

        assertThat(seen).containsExactly("text/html;charset=UTF-8", "UTF-8", "a,b", "7", "true");
        assertThat(answer.headers().firstValue("Content-Language")).hasValue("de-CH");
        assertThat(answer.headers().allValues("X-Multi")).containsExactly("a", "b");
    }

    @Test
    void aCookieIsSentAndTheResponseIsNotStored() throws Exception {
        start().route("/login", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            Cookie cookie = new Cookie("session", "s3cr3t");
            cookie.setHttpOnly(true);
            cookie.setPath("/");
            response.addCookie(cookie);
            response.getWriter().write("welcome");
        });

        HttpResponse<String> first = server.get("/login");

        assertThat(first.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("session=s3cr3t").contains("HttpOnly");
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=set-cookie");
        assertThat(stored("/login")).isEmpty();
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return server.client.send(server.request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
