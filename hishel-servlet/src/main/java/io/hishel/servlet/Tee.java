package io.hishel.servlet;

import io.hishel.servlet.CapturingResponse.Destination;
import io.hishel.spec.Reason;
import io.hishel.spec.StoreAndUse;
import io.hishel.storage.CacheKey;
import io.hishel.storage.Entry;
import io.hishel.storage.EntryOptions;
import io.hishel.storage.EntryWriter;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The body of a storable answer goes to the client (when there is one) and, chunk by chunk, to a
 * storage writer; the entry is committed only if the body ended whole, within the size limit, and
 * the answer did not turn out to belong to one session. The flight of a collapsed request lands
 * with the verdict.
 */
final class Tee implements Destination {

    private final CacheContext context;
    private final OutcomeRecorder outcome;
    private ServletOutputStream client;
    private final EntryWriter writer;
    private final boolean storesBody;
    private final List<Entry> obsolete;
    private final Collapser.Flight flight;
    private final BooleanSupplier madeForOneSession;
    private boolean storing = true;
    private boolean tooLarge;
    /** The bytes of the body the client receives, for a range: from {@link #clientFirst} to before {@link #clientEnd}. */
    private long clientFirst;
    private long clientEnd = Long.MAX_VALUE;
    /** The body's bytes written so far. */
    private long offset;

    private Tee(CacheContext context, OutcomeRecorder outcome, EntryWriter writer, boolean storesBody,
                List<Entry> obsolete, Collapser.Flight flight, BooleanSupplier madeForOneSession) {
        this.context = context;
        this.outcome = outcome;
        this.writer = writer;
        this.storesBody = storesBody;
        this.obsolete = obsolete;
        this.flight = flight;
        this.madeForOneSession = madeForOneSession;
    }

    /**
     * Starts the entry in storage. The body goes to storage only until {@link #alsoTo} names the
     * client's stream.
     *
     * @param madeForOneSession asked again before the entry is made visible
     * @return the tee, or empty if the storage could not start the entry
     */
    static Optional<Tee> start(CacheContext context, OutcomeRecorder outcome, StoreAndUse store, CacheKey key,
                               EntryOptions entryOptions, Collapser.Flight flight, BooleanSupplier madeForOneSession) {
        Entry entry = store.toEntry(UUID.randomUUID(), key);
        Optional<EntryWriter> writer = context.storage.call(StorageOperation.CREATE,
                () -> context.storage.storage().create(entry, entryOptions));
        boolean storesBody = !store.request().method().equals("HEAD");
        return writer.map(started -> new Tee(context, outcome, started, storesBody, store.obsoleteEntries(), flight,
                madeForOneSession));
    }

    /** The client receives the body too. */
    Tee alsoTo(ServletOutputStream client) {
        this.client = client;
        return this;
    }

    /** The client receives a part of the body: {@code length} bytes from {@code first}, the range it asked for. */
    Tee alsoTo(ServletOutputStream client, long first, long length) {
        this.client = client;
        this.clientFirst = first;
        this.clientEnd = first + length;
        return this;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (client != null) {
            long from = Math.max(this.offset, clientFirst);
            long to = Math.min(this.offset + length, clientEnd);
            if (from < to) {
                client.write(bytes, offset + (int) (from - this.offset), (int) (to - from));
            }
        }
        this.offset += length;
        if (!storing || !storesBody) {
            return;
        }
        if (writer.size() + length > context.options.maxEntrySize()) {
            tooLarge = true;
            stopStoring();
            return;
        }
        try {
            writer.write(bytes, offset, length);
        } catch (RuntimeException e) {
            context.storage.failed(StorageOperation.WRITE_BODY, e);
            stopStoring();
        }
    }

    @Override
    public void flush() throws IOException {
        if (client != null) {
            client.flush();
        }
    }

    @Override
    public void end(boolean complete) {
        if (!storing) {
            land(false);
            return;
        }
        if (!complete) {
            // The application failed or the client went away: the body may be short.
            stopStoring();
            if (flight != null) {
                flight.abandon();
            }
            return;
        }
        if (madeForOneSession.getAsBoolean()) {
            outcome.reason(Reason.SESSION_STATE);
            stopStoring();
            land(false);
            return;
        }
        boolean committed = context.storage.run(StorageOperation.COMMIT, writer::commit);
        if (!committed) {
            writer.close();
        }
        outcome.stored(committed);
        if (committed) {
            context.removeLater(obsolete);
        }
        land(committed);
    }

    private void stopStoring() {
        storing = false;
        if (tooLarge) {
            outcome.detail(Reason.TOO_LARGE.token());
        }
        writer.close();
        outcome.stored(false);
    }

    private void land(boolean storable) {
        if (flight != null) {
            flight.land(storable);
        }
    }
}
