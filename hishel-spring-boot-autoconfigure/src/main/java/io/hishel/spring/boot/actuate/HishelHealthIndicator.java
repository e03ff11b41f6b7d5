package io.hishel.spring.boot.actuate;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.StorageStatistics;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The cache's health, cheap enough for any probe interval: the state of the filter's circuit
 * breaker, which asks the storage nothing, and the storage's entries and bytes from a snapshot read
 * at most every ten seconds. UP while the filter uses its storage; DOWN while the breaker is open
 * after repeated storage failures, when every request is answered by the application without the
 * cache.
 *
 * <p>A DOWN cache does not make the application fail requests, only answer them more slowly, so
 * keep {@code hishel} out of the health groups a load balancer or Kubernetes probes
 * ({@code readiness}, {@code liveness}) unless slow answers should take the instance out; the
 * documentation's operations page shows a group set-up.
 */
public class HishelHealthIndicator extends AbstractHealthIndicator {

    private final HishelCacheFilter filter;
    private final StorageSnapshot snapshot;

    public HishelHealthIndicator(HishelCacheFilter filter) {
        super("The hishel cache storage is not available");
        this.filter = filter;
        this.snapshot = new StorageSnapshot(() -> filter);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean available = filter.storageAvailable();
        StorageSnapshot.Reading reading = snapshot.read();
        StorageStatistics statistics = reading.statistics();
        (available ? builder.up() : builder.down())
                .withDetail("storage", filter.storage().toString())
                .withDetail("breaker", available ? "closed" : "open")
                .withDetail("entries", statistics.entries())
                .withDetail("bytes", statistics.bytes())
                .withDetail("errors", filter.statistics().errors());
        if (reading.failed()) {
            builder.withDetail("statistics", "the last read failed; these figures are older");
        }
    }
}
