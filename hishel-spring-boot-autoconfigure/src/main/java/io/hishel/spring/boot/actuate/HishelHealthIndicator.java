package io.hishel.spring.boot.actuate;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.StorageStatistics;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The storage's health: UP with its entries and bytes when it answers, DOWN with the error when
 * it does not. A DOWN cache does not make the application fail requests (they are answered
 * without it), so add it to a health group that gates traffic only if slow answers should.
 */
public class HishelHealthIndicator extends AbstractHealthIndicator {

    private final HishelCacheFilter filter;

    public HishelHealthIndicator(HishelCacheFilter filter) {
        super("The hishel cache storage is not available");
        this.filter = filter;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StorageStatistics statistics = filter.storage().statistics();
        builder.up()
                .withDetail("storage", filter.storage().toString())
                .withDetail("entries", statistics.entries())
                .withDetail("bytes", statistics.bytes())
                .withDetail("errors", filter.statistics().errors());
    }
}
