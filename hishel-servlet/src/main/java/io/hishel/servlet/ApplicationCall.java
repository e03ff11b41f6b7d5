package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.spec.FromCache;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of the application, the rest of the filter chain: with the request the cache chose, into
 * a {@link CapturingResponse}, ending the response when the application returns or, if it went
 * asynchronous, when its asynchronous processing completes. When the application fails before its
 * response committed, a stale stored response may stand in for it (RFC 5861 §4); otherwise the
 * failure is the container's to handle, and its error page still carries the outcome.
 */
final class ApplicationCall {

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterChain chain;
    private final ClientRequest client;
    private final OutcomeRecorder outcome;
    private final ResponseWriter writer;

    ApplicationCall(HttpServletRequest request, HttpServletResponse response, FilterChain chain, ClientRequest client,
                    OutcomeRecorder outcome, ResponseWriter writer) {
        this.request = request;
        this.response = response;
        this.chain = chain;
        this.client = client;
        this.outcome = outcome;
        this.writer = writer;
    }

    /**
     * Calls the application and ends the response.
     *
     * @param headers   the request fields the application sees
     * @param capture   the response it writes, whose committer decides where the body goes
     * @param onFailure the stale response that may replace a failure, if any
     * @param flight    the collapsed flight this call leads, or null; handed over if the call goes
     *                  asynchronous, so that it ends when the response does
     * @return true if the application went asynchronous, so the response ends later
     */
    boolean call(Headers headers, CapturingResponse capture, Supplier<Optional<FromCache>> onFailure,
                 Collapser.Flight flight) throws IOException, ServletException {
        try {
            chain.doFilter(client.forward(headers), capture);
        } catch (IOException | ServletException | RuntimeException | Error failure) {
            if (!capture.isCommitted() && !response.isCommitted()) {
                Optional<FromCache> stale = onFailure.get();
                if (stale.isPresent()) {
                    capture.abandon();
                    LOG.warn("The application failed; serving a stale response for {} ({})", client.core().url(),
                            stale.get().reason(), failure);
                    outcome.applicationStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    FromCache hit = stale.get();
                    if (writer.serve(hit, hit.response())) {
                        return false;
                    }
                }
            }
            if (!response.isCommitted()) {
                // The container answers with its error page, which carries the outcome like any other answer.
                outcome.applicationStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                outcome.detail("application-failed");
                if (!capture.handOver(writer::sendHead)) {
                    outcome.writeTo(response);
                }
            }
            capture.abandon();
            throw failure;
        }
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Finisher(capture, writer, outcome,
                    flight == null ? null : flight.handOver()));
            return true;
        }
        capture.finish(true);
        return false;
    }

    /** Ends a captured response when asynchronous processing completes. */
    private static final class Finisher implements AsyncListener {
        private final CapturingResponse capture;
        private final ResponseWriter writer;
        private final OutcomeRecorder outcome;
        private final Collapser.Flight flight;
        private boolean failed;

        Finisher(CapturingResponse capture, ResponseWriter writer, OutcomeRecorder outcome, Collapser.Flight flight) {
            this.capture = capture;
            this.writer = writer;
            this.outcome = outcome;
            this.flight = flight;
        }

        /**
         * The container ends a timed-out or failed response itself, from what the application had
         * set, or, once committed, after what the application had written: both must reach it now,
         * before its error handling, as they would without the cache.
         */
        private void fail() {
            failed = true;
            try {
                outcome.detail("application-failed");
                if (!capture.handOver(writer::sendHead)) {
                    capture.abandon();
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Handing a failed asynchronous response to the container failed", e);
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                if (failed) {
                    // What the application wrote after commit still goes out, as the container sends it.
                    capture.abandon();
                } else {
                    capture.finish(true);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Finishing an asynchronous response failed", e);
            } finally {
                if (flight != null) {
                    flight.close();
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            fail();
        }

        @Override
        public void onError(AsyncEvent event) {
            fail();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
