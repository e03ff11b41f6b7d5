package io.hishel.servlet;

import io.hishel.http.Body;
import io.hishel.http.Headers;
import io.hishel.http.Response;
import io.hishel.servlet.CapturingResponse.Commit;
import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.CouldNotBeStored;
import io.hishel.spec.Ranges;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the committers of the three paths to the application share: the application's answer as
 * the client is to receive it, and what becomes of a storable or refused answer. When the response
 * commits, each asks the engine about that answer and sends its body where the decision says:
 * {@link MissCommitter} for a miss or a write-through, {@link ValidationCommitter} for a validation
 * a client waits for, {@link RefreshCommitter} for a background refresh nobody waits for.
 */
abstract class AnswerCommitter implements CapturingResponse.Committer {

    private static final Ranges.Answer WHOLE = new Ranges.Whole();

    final CacheContext context;
    final ClientRequest client;
    final OutcomeRecorder outcome;
    final ResponseWriter writer;
    /** The collapsed flight this answer lands, or null. */
    final Collapser.Flight flight;

    AnswerCommitter(CacheContext context, ClientRequest client, OutcomeRecorder outcome, ResponseWriter writer,
                    Collapser.Flight flight) {
        this.context = context;
        this.client = client;
        this.outcome = outcome;
        this.writer = writer;
        this.flight = flight;
    }

    /**
     * The application's answer as the client is to receive it: without the cache's metadata and
     * the directives meant for other statuses, with the cookies set past the cache's wrapper — a
     * new session's, an earlier filter's — which are the answer's all the same.
     */
    Response asAnswered(Response appResponse, byte[] body) {
        Headers headers = client.settings().withoutInternalChoices(appResponse);
        for (String cookie : writer.containerCookies()) {
            headers = headers.plus("Set-Cookie", cookie);
        }
        return new Response(appResponse.status(), headers, body == null ? Body.EMPTY : Body.of(body));
    }

    /** Where the answer goes when the cache neither stores it nor answers instead: to the client. */
    Destination passOn(CapturingResponse capture, Response app, Commit kind) throws IOException {
        return writer.passOn(capture, app, kind);
    }

    /** Sends the head of a stored answer to the client; its stream for the body, or null if it gets none. */
    jakarta.servlet.ServletOutputStream clientCopy(Response clientResponse) throws IOException {
        return writer.beginBody(clientResponse);
    }

    Destination notStored(CouldNotBeStored refusal, CapturingResponse capture, Response app, Commit kind)
            throws IOException {
        context.removeLater(refusal.obsoleteEntries());
        outcome.reason(refusal.reason());
        land(false);
        return passOn(capture, app, kind);
    }

    /**
     * Stores a storable answer while it streams, unless it was made for one session or its body is
     * the container's to write.
     */
    Destination store(StoreAndUse store, CapturingResponse capture, Response app, Commit kind) throws IOException {
        if (client.madeForOneSession()) {
            return notStored(new CouldNotBeStored(store.request(), app, List.of(), Reason.SESSION_STATE), capture, app,
                    kind);
        }
        if (kind != Commit.BODY) {
            outcome.detail("body-written-by-container");
            land(false);
            return passOn(capture, app, kind);
        }
        if (capture.malformed()) {
            // The container relays what it can of it; a stored copy would be a different response, or a broken one.
            outcome.detail("malformed-response");
            land(false);
            return passOn(capture, app, kind);
        }
        Optional<Tee> tee = Tee.start(context, outcome, store, client.key(),
                client.settings().entryOptions(store.request().metadata()), flight, client::madeForOneSession);
        if (tee.isEmpty()) {
            outcome.detail("storage-unavailable");
            if (flight != null) {
                flight.abandon();
            }
            return passOn(capture, app, kind);
        }
        outcome.storing(store.reason(), ResponseWriter.ttl(store.freshness()));
        Response clientResponse = store.clientResponse(app);
        Ranges.Answer range = rangeOf(clientResponse, app);
        if (range instanceof Ranges.Part part) {
            return tee.get().alsoTo(clientCopy(part.head()), part.first(), part.length());
        }
        if (range instanceof Ranges.Unsatisfiable refusal) {
            // The client learns the length; the whole body still goes to storage.
            writer.sendHead(refusal.head());
            return tee.get();
        }
        return tee.get().alsoTo(clientCopy(clientResponse));
    }

    /**
     * The part of a storable answer a client's {@code Range} asks for (RFC 9110 §14): the
     * application was asked for all of it, so that it can be stored, and the client gets its part
     * as it streams. Without a {@code Content-Length} the length is known only at the end, too late
     * for the head: the client gets the whole response, as §14.2 allows.
     */
    private Ranges.Answer rangeOf(Response clientResponse, Response app) {
        if (!client.core().headers().contains("Range")) {
            return WHOLE;
        }
        List<String> lengths = app.headers().allValues("Content-Length");
        String length = lengths.size() == 1 ? lengths.get(0).trim() : "";
        if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return WHOLE;
        }
        return Ranges.of(client.core(), clientResponse, Long.parseLong(length));
    }

    void land(boolean storable) {
        if (flight != null) {
            flight.land(storable);
        }
    }
}
