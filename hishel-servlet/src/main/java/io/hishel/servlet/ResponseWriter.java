package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.spec.Freshness;
import io.hishel.spec.FromCache;
import io.hishel.spec.Ranges;
import io.hishel.storage.CorruptBodyException;
import io.hishel.storage.Entry;
import io.hishel.storage.StoredBody;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Writes what the client receives: a stored response, head and body streamed from storage; the
 * head of the application's answer as the cache passes it on; the cache's own 503 and 504. Every
 * head leaves out the cache's internal fields and carries the outcome. One per exchange.
 */
final class ResponseWriter {

    private static final int COPY_BUFFER = 16 * 1024;
    private static final Ranges.Answer WHOLE = new Ranges.Whole();

    private final CacheContext context;
    private final HttpServletResponse response;
    private final OutcomeRecorder outcome;
    private Collection<String> containerCookies;
    private boolean storageFailed;

    ResponseWriter(CacheContext context, HttpServletResponse response, OutcomeRecorder outcome) {
        this.context = context;
        this.response = response;
        this.outcome = outcome;
    }

    /**
     * The cookies the container's response carried before the cache wrote to it: set past the
     * cache's wrapper, by the container for a new session or by a filter ordered before the cache.
     */
    Collection<String> containerCookies() {
        if (containerCookies == null) {
            containerCookies = response.getHeaders("Set-Cookie");
        }
        return containerCookies;
    }

    /** The remaining freshness to report, or null when freshness is not checked. */
    static Duration ttl(Freshness freshness) {
        return freshness.isUnbounded() ? null : freshness.remaining();
    }

    /** Serves a stored response the engine chose, with the given head. */
    boolean serve(FromCache hit, Response head) throws IOException {
        return serve(hit.request(), head, hit.entry(), hit.sendsBody(),
                () -> outcome.hit(hit.reason(), ttl(hit.freshness())));
    }

    /**
     * Writes a stored response, or the part of it a {@code Range} asks for ({@link Ranges}). The
     * first part of the body is read before anything is sent, so a storage that cannot deliver it
     * leaves the request free to go to the application, and the outcome is described only once
     * the response is certain to come from storage.
     *
     * @param request  the request answered, whose {@code Range} chooses the part
     * @param describe records the outcome and counts it, just before the head is sent
     * @return false if the body could not be read (nothing was sent, nothing recorded)
     */
    boolean serve(Request request, Response head, Entry entry, boolean sendsBody, Runnable describe)
            throws IOException {
        GuardedStorage storage = context.storage;
        if (!sendsBody) {
            describe.run();
            sendHead(head);
            recordHit(entry);
            return true;
        }
        Optional<Optional<StoredBody>> answered = storage.call(StorageOperation.OPEN_BODY,
                () -> storage.storage().openBody(entry.id()));
        if (answered.isEmpty()) {
            storageFailed = true;
            return false;
        }
        Optional<StoredBody> opened = answered.get();
        if (opened.isEmpty()) {
            return false;
        }
        try (StoredBody body = opened.get(); InputStream in = body.stream()) {
            Ranges.Answer range = request.headers().contains("Range") ? Ranges.of(request, head, body.size()) : WHOLE;
            if (range instanceof Ranges.Unsatisfiable refusal) {
                describe.run();
                sendHead(refusal.head(), 0);
            } else {
                Ranges.Part part = range instanceof Ranges.Part p ? p : null;
                long length = part != null ? part.length() : body.size();
                byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(length, 1))];
                int first;
                try {
                    if (part != null) {
                        // Storages that can seek skip the chunks before the part without reading them.
                        in.skipNBytes(part.first());
                    }
                    first = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, length));
                } catch (IOException | UncheckedIOException e) {
                    storage.failed(StorageOperation.READ_BODY, e);
                    // A damaged body is gone from storage, which works: the application's answer may take its place.
                    storageFailed = !(e instanceof CorruptBodyException);
                    return false;
                }
                describe.run();
                sendHead(part != null ? part.head() : head, length);
                ServletOutputStream out = response.getOutputStream();
                out.write(buffer, 0, first);
                for (long left = length - first; left > 0; ) {
                    int n = read(in, buffer, (int) Math.min(buffer.length, left), entry);
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
        recordHit(entry);
        return true;
    }

    /**
     * Whether a stored body could not be served because the storage failed, rather than because
     * its entry was gone: the request then asks the storage nothing more, so that one request
     * waits for a failing storage once at most.
     */
    boolean storageFailed() {
        return storageFailed;
    }

    /** Inline: storages make this cheap (a memory touch, a batched database update), cheaper than a hand-off. */
    private void recordHit(Entry entry) {
        context.storage.run(StorageOperation.RECORD_ACCESS, () -> context.storage.storage().recordAccess(entry.id()));
    }

    private int read(InputStream in, byte[] buffer, int length, Entry entry) throws IOException {
        try {
            return in.read(buffer, 0, length);
        } catch (IOException | UncheckedIOException e) {
            // The head is sent: the only answer left is an incomplete one, the connection closed before the
            // declared length, never another body after this one.
            context.storage.failed(StorageOperation.READ_BODY, e);
            throw ConnectionAbort.of(response, "Stored body of " + entry.request().url()
                    + " could not be read to the end", e);
        }
    }

    /** The application's answer goes to the client as it is, less the cache's internal fields. */
    Destination passOn(CapturingResponse capture, Response app, Commit kind) throws IOException {
        sendHead(app);
        capture.relayMalformedFields(response);
        if (kind == Commit.ERROR) {
            response.sendError(app.status(), capture.errorMessage());
            return Destination.NOWHERE;
        }
        if (kind == Commit.REDIRECT) {
            capture.redirect(response);
            return Destination.NOWHERE;
        }
        return new ToClient(response.getOutputStream());
    }

    /**
     * Sends the head of an answer the cache is storing as it streams.
     *
     * @return the stream for the body, or null for a 304 made for the client's own conditionals
     *         (the body goes to storage only)
     */
    ServletOutputStream beginBody(Response head) throws IOException {
        sendHead(head);
        return head.status() == 304 ? null : response.getOutputStream();
    }

    /**
     * The application has answered a validation, but the stored body it confirmed cannot be read.
     * Asking the application again would call it twice for one request; the client is told to
     * retry instead.
     */
    void storedBodyUnavailable() {
        outcome.notFromCache();
        outcome.detail("stored-body-unavailable");
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
        outcome.writeTo(response);
    }

    /** Writes status and header fields: the cache's internal fields removed, its outcome added. */
    void sendHead(Response head) {
        sendHead(head, -1);
    }

    /**
     * @param contentLength the body's length as the storage knows it, which replaces the stored
     *                      field; -1 to send the stored field as it is
     */
    void sendHead(Response head, long contentLength) {
        response.setStatus(head.status());
        for (Headers.Field field : head.headers()) {
            String name = field.name();
            if (context.isInternal(name)) {
                if (name.equalsIgnoreCase(ExchangeSettings.ROUTE_FIELD)) {
                    outcome.route(field.value());
                }
                continue;
            }
            if (name.equalsIgnoreCase("Content-Type")) {
                response.setContentType(field.value());
            } else if (name.equalsIgnoreCase("Content-Length")) {
                if (contentLength >= 0) {
                    continue;
                }
                try {
                    response.setContentLengthLong(Long.parseLong(field.value().trim()));
                } catch (NumberFormatException invalid) {
                    response.addHeader(name, field.value());
                }
            } else if (!name.equalsIgnoreCase("Set-Cookie") || !containerCookies().contains(field.value())) {
                // Read only for an answer with cookies, and before the filter adds one: a hit pays nothing.
                response.addHeader(name, field.value());
            }
        }
        if (contentLength >= 0) {
            response.setContentLengthLong(contentLength);
        }
        outcome.writeTo(response);
    }

    /** The body goes to the client only. */
    private static final class ToClient implements Destination {
        private final ServletOutputStream client;

        ToClient(ServletOutputStream client) {
            this.client = client;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            client.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            client.flush();
        }

        @Override
        public void end(boolean complete) {
        }
    }
}
