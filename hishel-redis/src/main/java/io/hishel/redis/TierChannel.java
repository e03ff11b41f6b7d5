package io.hishel.redis;

import io.hishel.memory.tier.Change;
import io.hishel.memory.tier.Tier;
import io.hishel.storage.StorageException;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the memory tiers of the instances sharing one key prefix hear of each other's writes: once a
 * write's script call has returned, its {@link Change} is {@code PUBLISH}ed on the prefix's channel
 * ({@code <prefix>tier}) on the storage's own connection, without waiting — so it reaches Redis
 * after the write, and other instances hear it within a round trip of it; each instance holds a
 * pub/sub connection subscribed to that channel and makes its tier forget what the others changed.
 *
 * <p>While the subscription is down — from the moment Lettuce sees its connection drop until it has
 * reconnected and Redis confirmed the subscription again — the tier is
 * {@linkplain Tier#suspend() suspended}: what was published in between is lost, and the tier
 * forgets everything when it resumes. A message lost without the connection dropping (a publish
 * that failed) is covered by the tier's maximum age. Thread-safe.
 */
final class TierChannel implements Tier.Announcer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TierChannel.class);
    /** Redis takes payloads up to 512 MB; this keeps one message, and the work of hearing it, small. */
    private static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private final RedisClient client;
    private final RedisAsyncCommands<byte[], byte[]> publisher;
    private final String channel;
    private final byte[] channelBytes;
    private final Tier<?> tier;
    private final String description;
    private final String senderId = UUID.randomUUID().toString();
    private final RedisConnectionStateListener states = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == subscription) {
                lost();
            }
        }
    };
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile boolean listening;
    private volatile boolean warned;
    private volatile boolean closed;

    private TierChannel(RedisClient client, RedisAsyncCommands<byte[], byte[]> publisher, String prefix,
                        Tier<?> tier, String description) {
        this.client = client;
        this.publisher = publisher;
        this.channel = prefix + "tier";
        this.channelBytes = channel.getBytes(StandardCharsets.UTF_8);
        this.tier = tier;
        this.description = description;
    }

    /**
     * Subscribes to the prefix's channel, and announces this instance's changes on it; the tier is
     * used once Redis has confirmed the subscription.
     *
     * @throws StorageException if Redis does not take the subscription
     */
    static TierChannel start(RedisClient client, RedisAsyncCommands<byte[], byte[]> publisher, String prefix,
                             Tier<?> tier, String description, Duration timeout) {
        TierChannel channel = new TierChannel(client, publisher, prefix, tier, description);
        tier.notifyThrough(channel);
        client.addListener(channel.states);
        try {
            StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub(StringCodec.UTF8);
            connection.setTimeout(timeout);
            connection.addListener(channel.new Heard());
            channel.subscription = connection;
            connection.sync().subscribe(channel.channel);
        } catch (RedisException e) {
            channel.close();
            throw new StorageException(description + " could not subscribe to " + channel.channel
                    + " for its memory tier: " + e.getMessage(), e);
        }
        return channel;
    }

    /** Publishes a change on the storage's connection; never waits, and a failure only costs the maximum age. */
    @Override
    public void send(Change change) {
        if (closed) {
            return;
        }
        try {
            for (String payload : change.payloads(senderId, MAX_PAYLOAD_BYTES)) {
                publisher.publish(channelBytes, payload.getBytes(StandardCharsets.UTF_8)).exceptionally(failure -> {
                    log.debug("{} could not tell other instances of a change: {}", description, failure.toString());
                    return null;
                });
            }
        } catch (RedisException e) {
            log.debug("{} could not tell other instances of a change: {}", description, e.getMessage());
        }
    }

    /** Whether the changes of other instances are heard now. */
    boolean listening() {
        return listening;
    }

    /** The channel this prefix's instances publish on. */
    String channel() {
        return channel;
    }

    /** Stops hearing; the tier stays suspended. */
    @Override
    public void close() {
        closed = true;
        client.removeListener(states);
        StatefulRedisPubSubConnection<String, String> connection = subscription;
        if (connection != null) {
            try {
                connection.close();
            } catch (RedisException e) {
                log.debug("{} could not close its subscription: {}", description, e.getMessage());
            }
        }
        listening = false;
        tier.suspend();
    }

    private void lost() {
        listening = false;
        tier.suspend();
        if (!closed && !warned) {
            warned = true;
            log.warn("{} cannot hear other instances' changes (its subscription to {} dropped); the memory tier is"
                    + " not used until Lettuce has subscribed again", description, channel);
        }
    }

    /** What the subscription hears: the others' changes, and that it is subscribed (again). */
    private final class Heard extends RedisPubSubAdapter<String, String> {

        @Override
        public void subscribed(String subscribed, long count) {
            if (!channel.equals(subscribed) || closed) {
                return;
            }
            // What was published before this point was not heard: what the tier holds from then is forgotten.
            tier.resume();
            listening = true;
            if (warned) {
                warned = false;
                log.info("{} hears other instances' changes again; the memory tier is used again", description);
            }
        }

        @Override
        public void message(String from, String payload) {
            if (channel.equals(from) && !Change.senderOf(payload).equals(senderId)) {
                tier.forget(Change.parse(payload));
            }
        }
    }
}
