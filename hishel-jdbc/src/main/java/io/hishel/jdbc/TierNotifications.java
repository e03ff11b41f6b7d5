package io.hishel.jdbc;

import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How the memory tiers of the instances sharing one PostgreSQL schema hear of each other's writes:
 * once a write has committed, its {@link Change} is queued, and a daemon thread sends what is
 * queued with {@code pg_notify}, all of it in one transaction of its own; and a daemon thread of
 * each instance {@code LISTEN}s on the schema's channel, on one connection of the storage's
 * DataSource that it holds, and makes its tier forget what the others changed — within
 * milliseconds of their commit. Not inside the write's own transaction: PostgreSQL serialises
 * the commits of every transaction that notifies, which under many writers would hold each
 * request's commit up behind the others'; sent apart, many writes' changes go in one
 * notification while the last one is on its way. A change that cannot be sent is logged, and the
 * other tiers see it within their maximum age.
 *
 * <p>While the thread is not listening — before its first {@code LISTEN}, and from a failure of its
 * connection until it has listened again on a new one, tried every second — the tier is
 * {@linkplain Tier#suspend() suspended}: what was missed in between cannot be served. A
 * notification lost without the connection failing is covered by the tier's maximum age.
 * Thread-safe.
 */
final class TierNotifications implements Tier.Announcer, AutoCloseable {

    /** PostgreSQL refuses payloads of 8000 bytes and more. */
    private static final int MAX_PAYLOAD_BYTES = 7900;
    /** How long one wait for notifications, or for changes to send, lasts: at most the time {@link #close()} takes. */
    private static final int POLL_MILLIS = 200;
    /** The changes waiting to be sent, at most; beyond, everything is sent instead. */
    private static final int MAX_QUEUED = 10_000;
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** PostgreSQL's longest identifier, in bytes. */
    private static final int MAX_CHANNEL_BYTES = 63;

    private final DataSource dataSource;
    private final Transactions transactions;
    private final String channel;
    private final Tier<Lookup.Found> tier;
    private final String description;
    private final String senderId = UUID.randomUUID().toString();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private final Thread sender;
    private final LinkedBlockingQueue<Change> outgoing = new LinkedBlockingQueue<>(MAX_QUEUED);
    /** Set when a change did not fit in the queue: the next batch is everything. */
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile boolean listening;
    /** The connection the storage's builder listened on, so that the tier is used from the start; handed to the thread. */
    private Connection first;

    private TierNotifications(DataSource dataSource, Transactions transactions, String channel, Tier<Lookup.Found> tier) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.channel = channel;
        this.tier = tier;
        this.description = transactions.description();
        this.thread = new Thread(this::run, "hishel-tier-notifications");
        thread.setDaemon(true);
        this.sender = new Thread(this::sendUntilClosed, "hishel-tier-announcements");
        sender.setDaemon(true);
    }

    /**
     * Starts listening for the changes other instances make in the schema the storage's connections
     * use, and announcing this one's.
     *
     * @param transactions where the changes are sent from, held to the deadline of maintenance
     */
    static TierNotifications start(DataSource dataSource, Transactions transactions, Tier<Lookup.Found> tier) {
        String schema = transactions.read("find the schema", connection -> {
            try (Statement select = connection.createStatement();
                 ResultSet result = select.executeQuery("SELECT current_schema()")) {
                result.next();
                return result.getString(1);
            }
        });
        TierNotifications notifications = new TierNotifications(dataSource, transactions, channelOf(schema), tier);
        tier.notifyThrough(notifications);
        notifications.first = notifications.firstListen();
        notifications.thread.start();
        notifications.sender.start();
        return notifications;
    }

    /** The channel of a schema: one per schema, as the cache is; hashed where the name would be too long. */
    static String channelOf(String schema) {
        String channel = "hishel_" + schema;
        if (channel.getBytes(StandardCharsets.UTF_8).length <= MAX_CHANNEL_BYTES) {
            return channel;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return "hishel_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }

    /** Queues a committed change, to be sent with the others queued meanwhile. Never waits. */
    @Override
    public void send(Change change) {
        if (!outgoing.offer(change)) {
            overflowed.set(true);
        }
    }

    /** Whether the changes of other instances are heard now. */
    boolean listening() {
        return listening;
    }

    /** Sends what is queued, and stops listening; the tier stays suspended. */
    @Override
    public void close() {
        closed.countDown();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tier.suspend();
    }

    /** Sends batch after batch, as they queue up, and what is left once closed. */
    private void sendUntilClosed() {
        boolean warned = false;
        while (true) {
            List<Change> batch = new ArrayList<>();
            try {
                Change next = outgoing.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) {
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed.countDown();
            }
            outgoing.drainTo(batch);
            if (overflowed.getAndSet(false)) {
                batch.add(Change.everything());
            }
            if (!batch.isEmpty()) {
                try {
                    announce(Change.merge(batch));
                    warned = false;
                } catch (StorageException e) {
                    if (!warned) {
                        Transactions.LOG.warn("{}: cannot tell other instances of this one's changes ({}); their memory"
                                + " tiers see them within their maximum age", description, e.getMessage());
                        warned = true;
                    }
                }
            }
            if (closed.getCount() == 0 && outgoing.isEmpty()) {
                return;
            }
        }
    }

    private void announce(Change change) {
        List<String> payloads = change.payloads(senderId, MAX_PAYLOAD_BYTES);
        transactions.write("tell other instances of changes", connection -> {
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                for (String payload : payloads) {
                    notify.setString(1, channel);
                    notify.setString(2, payload);
                    notify.execute();
                }
            }
            return null;
        });
    }

    /** Listens on the caller's thread; if that fails, the thread tries again, and warns. */
    private Connection firstListen() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            listen(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                release(connection);
            }
            return null;
        }
    }

    private void run() {
        try {
            listenUntilClosed();
        } finally {
            // Closed before the thread first ran: the builder's connection goes back to the pool unused.
            if (first != null) {
                release(first);
                first = null;
            }
        }
    }

    private void listenUntilClosed() {
        boolean warned = false;
        while (closed.getCount() > 0) {
            Connection listened = first;
            first = null;
            try (Connection connection = listened != null ? listened : dataSource.getConnection()) {
                try {
                    if (listened == null) {
                        listen(connection);
                    }
                    if (warned) {
                        Transactions.LOG.info("{}: hears other instances' changes again; the memory tier is used again",
                                description);
                        warned = false;
                    }
                    hear(connection.unwrap(PGConnection.class));
                } finally {
                    listening = false;
                    tier.suspend();
                    release(connection);
                }
            } catch (SQLException | RuntimeException e) {
                if (closed.getCount() == 0) {
                    return;
                }
                if (!warned) {
                    Transactions.LOG.warn("{}: cannot hear other instances' changes ({}); the memory tier is not used"
                            + " until it can, tried every {} s", description, e.getMessage(), RETRY.toSeconds());
                    warned = true;
                }
                pause();
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
        }
        // Changes made before this point were not heard: what the tier holds from then is forgotten.
        tier.resume();
        listening = true;
    }

    private void hear(PGConnection connection) throws SQLException {
        while (closed.getCount() > 0) {
            PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            for (PGNotification notification : notifications) {
                String payload = notification.getParameter();
                if (!Change.senderOf(payload).equals(senderId)) {
                    tier.forget(Change.parse(payload));
                }
            }
        }
    }

    /** Hands the connection back to the pool without its LISTEN, or ends it if that fails. */
    private static void release(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException e) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // The connection is broken already; the pool finds it so.
            }
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closed already, or broken: nothing is left to hand back.
        }
    }

    private void pause() {
        try {
            closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
    }
}
