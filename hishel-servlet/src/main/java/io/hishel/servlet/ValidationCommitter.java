package io.hishel.servlet;

import io.hishel.http.Response;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.CouldNotBeStored;
import io.hishel.spec.FromCache;
import io.hishel.spec.GatewayTimeout;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.NeedToBeUpdated;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import io.hishel.storage.Entry;
import java.io.IOException;

/**
 * Decides at commit what becomes of the application's answer to a validation a client waits for
 * (RFC 9111 §4.3.3): a 304 freshens the stored responses and the client gets the stored body; a
 * full answer is stored or passed on like a miss's; an error may give way to a stale response. The
 * application is never asked a second time: when the stored body it confirmed cannot be read, the
 * client is told to retry.
 */
final class ValidationCommitter extends AnswerCommitter {

    private final NeedRevalidation validation;

    ValidationCommitter(CacheContext context, ClientRequest client, OutcomeRecorder outcome, ResponseWriter writer,
                        NeedRevalidation validation, Collapser.Flight flight) {
        super(context, client, outcome, writer, flight);
        this.validation = validation;
    }

    @Override
    public Destination commit(CapturingResponse capture, Response appResponse, byte[] body, Commit kind)
            throws IOException {
        Response app = asAnswered(appResponse, body);
        outcome.applicationStatus(app.status());
        NeedRevalidation.Next next = validation.next(app, client.settings().answered(appResponse));
        if (next instanceof NeedToBeUpdated update) {
            update(context, update);
            land(true);
            try {
                boolean served = writer.serve(update.request(), update.response(), update.entry(),
                        update.sendsBody(),
                        () -> outcome.revalidated(update.reason(), ResponseWriter.ttl(update.freshness())));
                if (!served) {
                    writer.storedBodyUnavailable();
                }
            } finally {
                // Only now: the entry served may be among them, when the 304 forbids keeping it (no-store, say).
                context.removeLater(update.obsoleteEntries());
            }
            return Destination.NOWHERE;
        }
        if (next instanceof GatewayTimeout timeout) {
            abandon();
            outcome.detail(timeout.reason().token());
            writer.sendHead(timeout.response());
            return Destination.NOWHERE;
        }
        if (next instanceof FromCache stale && stale.reason() == Reason.VALIDATION_SELECTED_NOTHING) {
            abandon();
            // The application's 304 is no answer for the client: it sent no conditionals of its own.
            if (!writer.serve(stale, stale.response())) {
                writer.storedBodyUnavailable();
            }
            return Destination.NOWHERE;
        }
        if (next instanceof FromCache stale) {
            // stale-if-error (RFC 5861 §4); if its body cannot be read, the client gets the application's answer.
            abandon();
            return writer.serve(stale, stale.response()) ? Destination.NOWHERE : passOn(capture, app, kind);
        }
        outcome.missed();
        if (next instanceof StoreAndUse store) {
            return store(store, capture, app, kind);
        }
        return notStored((CouldNotBeStored) next, capture, app, kind);
    }

    /** §4.3.4: the selected entries get the 304's fields; the others are removed. */
    static void freshen(CacheContext context, NeedToBeUpdated update) {
        update(context, update);
        context.removeLater(update.obsoleteEntries());
    }

    private static void update(CacheContext context, NeedToBeUpdated update) {
        for (Entry entry : update.updatedEntries()) {
            context.storage.run(StorageOperation.UPDATE, () -> context.storage.storage().update(entry));
        }
    }

    private void abandon() {
        if (flight != null) {
            flight.abandon();
        }
    }
}
