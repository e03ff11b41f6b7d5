package io.hishel.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import io.hishel.memory.MemoryStorage;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.storage.Storage;
import io.hishel.storage.StorageException;
import io.hishel.storage.StorageOptions;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Issue 17: the health indicator is cheap — the breaker's state, and a snapshot of the storage's size. */
class HishelHealthIndicatorTest {

    @Test
    void upWithTheBreakerClosedAndTheStorageAskedOnceForManyProbes() {
        AtomicInteger statisticsCalls = new AtomicInteger();
        MemoryStorage memory = new MemoryStorage(StorageOptions.defaults());
        Storage counting = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("statistics")) {
                        statisticsCalls.incrementAndGet();
                    }
                    return method.invoke(memory, arguments);
                });
        HishelHealthIndicator indicator = new HishelHealthIndicator(HishelCacheFilter.builder(counting).build());

        Health health = null;
        for (int probe = 0; probe < 20; probe++) {
            health = indicator.health(true);
        }

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("breaker", "closed").containsEntry("entries", 0L);
        assertThat(statisticsCalls).as("one read per ten seconds, not one per probe").hasValue(1);
    }

    @Test
    void downWhileTheBreakerIsOpenAndTheApplicationAnswersAlone() throws Exception {
        Storage failing = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("close") || method.getName().equals("toString")) {
                        return method.getName().equals("toString") ? "failing storage" : null;
                    }
                    throw new StorageException("database down");
                });
        HishelCacheFilter filter = HishelCacheFilter.builder(failing).storageFailures(2, Duration.ofMinutes(5)).build();
        for (int request = 0; request < 3; request++) {
            MockHttpServletRequest get = new MockHttpServletRequest("GET", "/page");
            get.setServerName("example.com");
            filter.doFilter(get, new MockHttpServletResponse(), new MockFilterChain());
        }

        Health health = new HishelHealthIndicator(filter).health(true);

        assertThat(filter.storageAvailable()).isFalse();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("breaker", "open");
        filter.destroy();
    }
}
