package io.hishel.servlet;

import io.hishel.http.Response;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.CouldNotBeStored;
import io.hishel.spec.NeedRevalidation;
import io.hishel.spec.NeedToBeUpdated;
import io.hishel.spec.StoreAndUse;
import jakarta.servlet.ServletOutputStream;

/**
 * Decides at commit what becomes of the application's answer to a background refresh
 * ({@link BackgroundRefresh}), which no client waits for: a 304 freshens the stored entry, a full
 * answer replaces it as it streams to storage, anything else leaves it as it was. Nothing goes to
 * the loopback request that asked, beyond the status the exchange ends with.
 */
final class RefreshCommitter extends AnswerCommitter {

    private final NeedRevalidation validation;

    RefreshCommitter(CacheContext context, ClientRequest client, OutcomeRecorder outcome, ResponseWriter writer,
                     NeedRevalidation validation) {
        super(context, client, outcome, writer, null);
        this.validation = validation;
    }

    @Override
    public Destination commit(CapturingResponse capture, Response appResponse, byte[] body, Commit kind)
            throws java.io.IOException {
        Response app = asAnswered(appResponse, body);
        outcome.applicationStatus(app.status());
        NeedRevalidation.Next next = validation.next(app, client.settings().answered(appResponse));
        if (next instanceof NeedToBeUpdated update) {
            ValidationCommitter.freshen(context, update);
            return Destination.NOWHERE;
        }
        if (next instanceof StoreAndUse store) {
            return store(store, capture, app, kind);
        }
        if (next instanceof CouldNotBeStored refusal) {
            return notStored(refusal, capture, app, kind);
        }
        // A stale response or a 504 instead: the entry stays as it was, for the next request to validate.
        return Destination.NOWHERE;
    }

    @Override
    Destination passOn(CapturingResponse capture, Response app, Commit kind) {
        return Destination.NOWHERE;
    }

    @Override
    ServletOutputStream clientCopy(Response clientResponse) {
        return null;
    }
}
