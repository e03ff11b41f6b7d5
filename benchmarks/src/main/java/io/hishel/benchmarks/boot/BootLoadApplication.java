package io.hishel.benchmarks.boot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot application of the load benchmark, built as a user builds one: the web MVC and
 * actuator starters and {@code hishel-spring-boot-starter}, nothing configured, so the cache is
 * the starter's default (SQLite in {@code .cache/hishel/} under the working directory). The
 * driver runs it twice: as it is, and with {@code --hishel.enabled=false}, the same application
 * without the cache, which is what the hits are compared with.
 *
 * <p>Its controller answers {@code /boot/cached/{size}} with {@code size} bytes and
 * {@code max-age=3600}, and {@code /boot/not-cacheable/{size}} with {@code no-store}, for the
 * sizes of the load benchmark's table, as {@code LoadServer}'s endpoint does. For the driver
 * only: {@code /_bench/allocated} and {@code /_bench/calls} (both {@code no-store}), and the
 * process prints {@code listening on PORT} once it serves and stops when its standard input
 * closes.
 *
 * <p>Built into {@code benchmarks/target/benchmarks-boot.jar} by the Spring Boot Maven plugin,
 * as an application's jar is.
 */
@SpringBootApplication
public class BootLoadApplication {

    private static final List<Integer> SIZES = List.of(1024, 64 * 1024);

    public static void main(String[] args) throws IOException {
        ConfigurableApplicationContext context = SpringApplication.run(BootLoadApplication.class, args);
        System.out.println("listening on " + ((WebServerApplicationContext) context).getWebServer().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Nothing is sent on standard input; reading only waits for the driver to close it.
        }
        System.exit(SpringApplication.exit(context));
    }

    /** What the application serves: precomputed bytes, as cheap an endpoint as Spring MVC has. */
    @RestController
    static class Endpoint {
        private final Map<Integer, byte[]> bodies = new HashMap<>();
        private final AtomicLong calls = new AtomicLong();

        Endpoint() {
            for (int size : SIZES) {
                byte[] body = new byte[size];
                Arrays.fill(body, (byte) 'x');
                bodies.put(size, body);
            }
        }

        @GetMapping("/boot/cached/{size}")
        ResponseEntity<byte[]> cached(@PathVariable int size) {
            return answer(size, CacheControl.maxAge(java.time.Duration.ofHours(1)));
        }

        @GetMapping("/boot/not-cacheable/{size}")
        ResponseEntity<byte[]> notCacheable(@PathVariable int size) {
            return answer(size, CacheControl.noStore());
        }

        private ResponseEntity<byte[]> answer(int size, CacheControl cacheControl) {
            calls.incrementAndGet();
            byte[] body = bodies.get(size);
            if (body == null) {
                return ResponseEntity.notFound().build();
            }
            return ResponseEntity.ok().cacheControl(cacheControl).contentType(MediaType.TEXT_PLAIN).body(body);
        }

        @GetMapping("/_bench/calls")
        ResponseEntity<String> calls() {
            return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.TEXT_PLAIN)
                    .body(Long.toString(calls.get()));
        }

        /** Bytes allocated by all live threads, from the JVM's per-thread counters. */
        @GetMapping("/_bench/allocated")
        ResponseEntity<String> allocated() {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long total = Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
                    .filter(bytes -> bytes > 0).sum();
            return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.TEXT_PLAIN)
                    .body(Long.toString(total));
        }
    }
}
