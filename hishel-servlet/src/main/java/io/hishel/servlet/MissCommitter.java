package io.hishel.servlet;

import io.hishel.http.Response;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.CacheMiss;
import io.hishel.spec.CouldNotBeStored;
import io.hishel.spec.FromCache;
import io.hishel.spec.InvalidateEntries;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Decides at commit what becomes of the application's answer to a miss or to an unsafe method
 * (RFC 9111 §3, §4.4): stored as it streams to the client, passed on, replaced by a stale response
 * when it is an error that {@code stale-if-error} covers, or passed on after it invalidated what
 * the request changed.
 */
final class MissCommitter extends AnswerCommitter {

    private final CacheMiss miss;

    MissCommitter(CacheContext context, ClientRequest client, OutcomeRecorder outcome, ResponseWriter writer,
                  CacheMiss miss, Collapser.Flight flight) {
        super(context, client, outcome, writer, flight);
        this.miss = miss;
    }

    @Override
    public Destination commit(CapturingResponse capture, Response appResponse, byte[] body, Commit kind)
            throws IOException {
        Response app = asAnswered(appResponse, body);
        outcome.applicationStatus(app.status());
        if (!miss.passThrough() && context.needsResponseBody && body == null) {
            // A response filter must see the body, and it did not fit in memory before the response committed.
            return notStored(new CouldNotBeStored(miss.request(), app, List.of(), Reason.RESPONSE_FILTERED), capture,
                    app, kind);
        }
        CacheMiss.Next next = miss.next(app, client.settings().answered(appResponse));
        if (next instanceof InvalidateEntries invalidation) {
            for (URI uri : invalidation.uris()) {
                Runnable invalidate = () -> context.storage.storage().invalidate(uri);
                if (!context.storage.run(StorageOperation.INVALIDATE, invalidate)) {
                    // §4.4 says MUST; the request cannot wait longer for it: once more off the request's thread.
                    context.later(() -> context.storage.run(StorageOperation.INVALIDATE, invalidate));
                }
                if (context.hitForPass != null) {
                    context.hitForPass.forget(uri);
                }
            }
            outcome.reason(invalidation.reason());
            return passOn(capture, app, kind);
        }
        if (next instanceof FromCache stale) {
            // stale-if-error (RFC 5861 §4); if its body cannot be read, the client gets the application's answer.
            if (flight != null) {
                flight.abandon();
            }
            return writer.serve(stale, stale.response()) ? Destination.NOWHERE : passOn(capture, app, kind);
        }
        if (next instanceof StoreAndUse store) {
            return store(store, capture, app, kind);
        }
        CouldNotBeStored refusal = (CouldNotBeStored) next;
        if (context.hitForPass != null) {
            context.hitForPass.answered(miss, app, refusal.reason());
        }
        return notStored(refusal, capture, app, kind);
    }

}
