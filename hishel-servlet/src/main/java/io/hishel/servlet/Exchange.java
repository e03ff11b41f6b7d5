package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.spec.CacheMiss;
import io.hishel.spec.FromCache;
import io.hishel.spec.GatewayTimeout;
import io.hishel.spec.Idle;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.Reason;
import io.hishel.storage.Entry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the cache: whether the cache may use it at all, the lookup, and
 * then the engine's answer — served from storage, forwarded to the application (leading or joining
 * a collapsed flight), or passed through untouched. The decisions are the engine's; this class does
 * what they ask, in order.
 */
final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(HishelCacheFilter.class);

    private final CacheContext context;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterChain chain;
    private final OutcomeRecorder outcome;
    private final ResponseWriter writer;
    private ClientRequest client;

    Exchange(CacheContext context, HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        this.context = context;
        this.request = request;
        this.response = response;
        this.chain = chain;
        this.outcome = new OutcomeRecorder(context, request);
        this.writer = new ResponseWriter(context, response, outcome);
    }

    void run() throws IOException, ServletException {
        Optional<UUID> refreshing = context.refresh.entryToRefresh(request);
        if (refreshing.isPresent()) {
            refresh(refreshing.get());
            return;
        }
        if (context.excluded.test(request)) {
            passThrough("bypass", "excluded");
            return;
        }
        Optional<ClientRequest> read = ClientRequest.of(context, request);
        if (read.isEmpty()) {
            passThrough("bypass", "uri-not-usable");
            return;
        }
        client = read.get();
        if (client.needsBody() && !client.readBody()) {
            passThrough("bypass", "request-body-too-large");
            return;
        }
        Optional<CacheMiss> passThrough = context.idle.passThrough(client.core());
        if (passThrough.isPresent()) {
            CacheMiss miss = passThrough.get();
            if (miss.reason() == Reason.UNSAFE_METHOD) {
                writeThrough(miss);
            } else {
                passThrough(miss.reason().forward().orElse("bypass"), miss.reason().token());
            }
            return;
        }
        if (context.hitForPass != null && context.hitForPass.applies(client.core().url())) {
            passThrough("bypass", OutcomeRecorder.HIT_FOR_PASS);
            return;
        }
        Optional<List<Entry>> entries = lookup();
        if (entries.isEmpty()) {
            passThrough("bypass", "storage-unavailable");
            return;
        }
        answer(context.idle.nextFromStorage(client.core(), entries.get()), true);
    }

    private Optional<List<Entry>> lookup() {
        return context.storage.call(StorageOperation.LOOKUP, () -> context.storage.storage().entries(client.key()));
    }

    private void answer(Idle.Next next, boolean mayCollapse) throws IOException, ServletException {
        client.continueAs(next.request());
        if (next instanceof FromCache hit) {
            if (hit.revalidateInBackground()) {
                serveStaleAndRefresh(hit);
            } else if (!writer.serve(hit, hit.response())) {
                missOrBypass();
            }
        } else if (next instanceof GatewayTimeout timeout) {
            outcome.detail(timeout.reason().token());
            writer.sendHead(timeout.response());
        } else if (next instanceof NeedRevalidation || next instanceof CacheMiss) {
            forward(next, mayCollapse);
        }
    }

    /**
     * The stored body chosen could not be served: if its entry was gone, the application's answer
     * takes its place in storage; if the storage failed, the request leaves it alone, as after a
     * failed lookup.
     */
    private void missOrBypass() throws IOException, ServletException {
        if (writer.storageFailed()) {
            passThrough("bypass", "storage-unavailable");
        } else {
            miss(noStoredResponse(), null);
        }
    }

    /** Sends a request to the application, or waits for another that is already on its way. */
    private void forward(Idle.Next next, boolean mayCollapse) throws IOException, ServletException {
        Collapser.Flight joined = null;
        if (mayCollapse && context.collapseTimeout != null && !context.collapser.isHitForMiss(client.key().value())) {
            joined = context.collapser.join(client.key().value());
            if (!joined.leader()) {
                outcome.waiting();
                outcome.forwarded(next.reason());
                joined.await(context.collapseTimeout);
                Optional<List<Entry>> entries = lookup();
                Idle.Next after = entries.isPresent() ? context.idle.nextFromStorage(client.core(), entries.get()) : next;
                if (after instanceof FromCache) {
                    outcome.collapsed();
                }
                answer(after, false);
                return;
            }
        }
        try (Collapser.Flight flight = joined) {
            if (next instanceof NeedRevalidation validation) {
                revalidate(validation, flight);
            } else {
                miss((CacheMiss) next, flight);
            }
        }
    }

    /** Miss: the application answers; its response goes to the client and, if storable, to storage. */
    private void miss(CacheMiss miss, Collapser.Flight flight) throws IOException, ServletException {
        outcome.missed();
        outcome.forwarded(miss.reason());
        call(miss.forwardRequest().headers(), new MissCommitter(context, client, outcome, writer, miss, flight),
                miss::onFailure, flight);
    }

    /** Validation: the application answers a conditional request built from the stored validators. */
    private void revalidate(NeedRevalidation validation, Collapser.Flight flight)
            throws IOException, ServletException {
        outcome.forwarded(validation.reason());
        call(validation.conditionalRequest().headers(),
                new ValidationCommitter(context, client, outcome, writer, validation, flight), validation::onFailure,
                flight);
    }

    /** Unsafe method: the application answers; a non-error response invalidates (§4.4). */
    private void writeThrough(CacheMiss miss) throws IOException, ServletException {
        outcome.written();
        outcome.forwarded(miss.reason());
        call(client.core().headers(), new MissCommitter(context, client, outcome, writer, miss, null), Optional::empty,
                null);
    }

    private void call(Headers headers, AnswerCommitter committer,
                      java.util.function.Supplier<Optional<FromCache>> onFailure, Collapser.Flight flight)
            throws IOException, ServletException {
        CapturingResponse capture = new CapturingResponse(response, committer, context.captureLimit());
        new ApplicationCall(request, response, chain, client, outcome, writer).call(headers, capture, onFailure, flight);
    }

    /** Not for the cache: the application answers as if the filter were not there. */
    private void passThrough(String forward, String detail) throws IOException, ServletException {
        outcome.bypassed(forward, detail);
        outcome.writeTo(response);
        chain.doFilter(client == null ? request : client.passedThrough(),
                new PassThroughResponse(context, request, response));
    }

    /**
     * stale-while-revalidate (RFC 5861 §3): the stale response is sent at once and in full; then,
     * one refresh per key at a time, the request is made again in the background
     * ({@link BackgroundRefresh}) once the client's exchange has ended.
     */
    private void serveStaleAndRefresh(FromCache hit) throws IOException, ServletException {
        Collapser.Flight refresh = context.collapser.tryLead(client.key().value());
        try (refresh) {
            if (!writer.serve(hit, hit.response())) {
                if (refresh != null) {
                    refresh.close();
                }
                missOrBypass();
                return;
            }
            if (refresh != null) {
                Collapser.Flight handedOver = refresh.handOver();
                if (!context.refresh.start(request, client.core(), hit.entry(), client.bodyRead(), handedOver::close)) {
                    handedOver.close();
                }
            }
        }
    }

    /**
     * A refresh this filter sent itself: the application validates the stored entry, and what it
     * answers goes to storage only. The loopback client that asked learns nothing but that the
     * cache handled it (204).
     */
    private void refresh(UUID entryId) throws IOException, ServletException {
        Optional<ClientRequest> read = ClientRequest.of(context, request, BackgroundRefresh.FIELD);
        if (read.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        client = read.get();
        if (request.getContentLengthLong() > 0) {
            client.readBody();
        }
        Optional<Entry> stale = lookup().flatMap(entries -> entries.stream()
                .filter(entry -> entry.id().equals(entryId)).findFirst());
        if (stale.isPresent()) {
            NeedRevalidation validation = new NeedRevalidation(client.core(), List.of(stale.get()),
                    Reason.STALE_WHILE_REVALIDATE, context.clock.instant(), context.policy, context.clock);
            try {
                CapturingResponse capture = new CapturingResponse(response,
                        new RefreshCommitter(context, client, outcome, writer, validation), context.captureLimit());
                if (new ApplicationCall(request, response, chain, client, outcome, writer)
                        .call(validation.conditionalRequest().headers(), capture, Optional::empty, null)) {
                    return;
                }
            } catch (IOException | ServletException | RuntimeException e) {
                LOG.warn("Refreshing the stale response for {} failed; it stays stored", client.core().url(), e);
                return;
            }
        }
        if (!response.isCommitted()) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }

    private CacheMiss noStoredResponse() {
        return new CacheMiss(client.core(), List.of(), false, Reason.NO_STORED_RESPONSE, context.clock.instant(),
                context.policy, context.clock);
    }
}
