package io.hishel.spring.boot.evict;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.HttpCache;
import io.hishel.spring.boot.HttpCacheEvict;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A catalogue on its own SQLite database, with Spring's JDBC transaction manager: pages cached on
 * the server, and writes that evict them. Each page says how often it was computed.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
class CatalogApplication {

    @RestController
    static class Pages {

        final AtomicInteger computed = new AtomicInteger();
        private final Catalog catalog;

        Pages(Catalog catalog) {
            this.catalog = catalog;
        }

        @GetMapping("/products/{id}")
        @HttpCache(sMaxAge = "10m", serverOnly = true, tags = "products")
        String product(@PathVariable long id) {
            return catalog.name(id) + " #" + computed.incrementAndGet();
        }

        @GetMapping("/products")
        @HttpCache(sMaxAge = "10m", serverOnly = true, tags = "product-lists")
        String list() {
            return catalog.names() + " #" + computed.incrementAndGet();
        }

        /** RFC invalidation removes /products/{id}/name only; the annotation removes the pages that show it. */
        @PostMapping(path = "/products/{id}/name", consumes = MediaType.TEXT_PLAIN_VALUE)
        @HttpCacheEvict(urls = "/products/{id}", tags = "product-lists")
        String rename(@PathVariable long id, @RequestBody String name) {
            catalog.update(id, name);
            return "renamed";
        }

        /** The same write without the annotation: only the written URL is invalidated. */
        @PostMapping(path = "/products/{id}/quiet-name", consumes = MediaType.TEXT_PLAIN_VALUE)
        String renameQuietly(@PathVariable long id, @RequestBody String name) {
            catalog.update(id, name);
            return "renamed";
        }

        @PostMapping(path = "/products/{id}/refused-name", consumes = MediaType.TEXT_PLAIN_VALUE)
        @HttpCacheEvict(urls = "/products/{id}")
        ResponseEntity<String> refuse(@PathVariable long id, @RequestBody String name) {
            return ResponseEntity.status(409).body("refused");
        }

        @PostMapping(path = "/products/{id}/aborted-name", consumes = MediaType.TEXT_PLAIN_VALUE)
        ResponseEntity<String> renameAndAbort(@PathVariable long id, @RequestBody String name) {
            try {
                catalog.renameThenAbort(id, name);
                return ResponseEntity.ok("renamed");
            } catch (IllegalStateException aborted) {
                return ResponseEntity.status(409).body(aborted.getMessage());
            }
        }

        @PostMapping(path = "/products/{id}/batched-name", consumes = MediaType.TEXT_PLAIN_VALUE)
        String renameInBatch(@PathVariable long id, @RequestBody String name) {
            return catalog.renameInBatch(id, name) ? "evicted inside" : "kept inside";
        }

        @GetMapping("/greeting")
        @HttpCache(sMaxAge = "10m", vary = "Accept-Language")
        String greeting(Locale locale) {
            return (locale.getLanguage().equals("fr") ? "Bonjour" : "Hello") + " #" + computed.incrementAndGet();
        }

        @GetMapping("/unvaried-greeting")
        @HttpCache(sMaxAge = "10m")
        String unvariedGreeting(Locale locale) {
            return (locale.getLanguage().equals("fr") ? "Bonjour" : "Hello") + " #" + computed.incrementAndGet();
        }
    }

    /** Class and method annotations combine, as {@code @CrossOrigin}'s do. */
    @RestController
    @HttpCache(sMaxAge = "10m", tags = "offers", vary = "Accept")
    static class Offers {

        @GetMapping("/offers/today")
        @HttpCache(maxAge = "${catalog.offers.max-age}", noTransform = true, proxyRevalidate = true, tags = "today")
        String today() {
            return "today";
        }

        @GetMapping("/offers/all")
        String all() {
            return "all";
        }
    }

    @Service
    static class Catalog {

        private final JdbcTemplate jdbc;
        private final Catalog self;
        private final HishelCacheFilter cache;

        Catalog(JdbcTemplate jdbc, @org.springframework.context.annotation.Lazy Catalog self, HishelCacheFilter cache) {
            this.jdbc = jdbc;
            this.self = self;
            this.cache = cache;
            jdbc.execute("create table if not exists product (id integer primary key, name text not null)");
        }

        void reset() {
            jdbc.update("delete from product");
            jdbc.update("insert into product (id, name) values (1, 'kettle'), (2, 'teapot')");
        }

        String name(long id) {
            return jdbc.queryForObject("select name from product where id = ?", String.class, id);
        }

        String names() {
            return String.join(",", jdbc.queryForList("select name from product order by id", String.class));
        }

        @Transactional
        public void update(long id, String name) {
            jdbc.update("update product set name = ? where id = ?", name, id);
        }

        @Transactional
        @HttpCacheEvict(urls = "/products/{id}", tags = "product-lists")
        public void rename(long id, String name) {
            jdbc.update("update product set name = ? where id = ?", name, id);
        }

        /** Renames through the evicting method, whose transaction this one is, then rolls it all back. */
        @Transactional
        public void renameThenAbort(long id, String name) {
            self.rename(id, name);
            throw new IllegalStateException("aborted after renaming " + id);
        }

        /** Renames through the evicting method inside a longer transaction; says whether the page was gone before it committed. */
        @Transactional
        public boolean renameInBatch(long id, String name) {
            self.rename(id, name);
            return cache.storage().list(0, 100).stream().noneMatch(entry -> entry.url().endsWith("/products/" + id));
        }
    }
}
