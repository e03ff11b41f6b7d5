package io.hishel.spring.boot.evict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.Http;
import io.hishel.spring.boot.HttpCacheEvictor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Eviction from application code and the {@code @HttpCache} attributes of issue 17, in a whole
 * application over HTTP, with a JDBC transaction manager on a real SQLite database.
 */
@SpringBootTest(classes = CatalogApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hishel.storage.type=memory", "catalog.offers.max-age=45s"})
class CatalogApplicationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        Path.of("target", "test-caches").toFile().mkdirs();
        registry.add("spring.datasource.url", () -> "jdbc:sqlite:"
                + Path.of("target", "test-caches", "catalog-" + System.nanoTime() + ".db"));
    }

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @Autowired
    HttpCacheEvictor evictor;

    @Autowired
    CatalogApplication.Catalog catalog;

    @Autowired
    PlatformTransactionManager transactions;

    Http http;

    @BeforeEach
    void reset() throws Exception {
        http = new Http(port);
        catalog.reset();
        filter.storage().purgeAll();
    }

    @Test
    void theApplicationsTransactionsAreJdbcOnes() {
        assertThat(transactions).isInstanceOf(JdbcTransactionManager.class);
    }

    @Test
    void aWriteInvalidatesOnlyItsOwnUrlWithoutTheAnnotation() throws Exception {
        String before = http.get("/products/2").body();

        assertThat(post("/products/2/quiet-name", "samovar").statusCode()).isEqualTo(200);

        // RFC 9111 §4.4: the POST invalidated /products/2/quiet-name, not the page that shows the name.
        assertThat(http.get("/products/2").body()).isEqualTo(before).startsWith("teapot");
    }

    @Test
    void httpCacheEvictRemovesThePagesAWriteChanges() throws Exception {
        String product = http.get("/products/1").body();
        String list = http.get("/products").body();
        String other = http.get("/products/2").body();
        assertThat(http.get("/products/1").body()).isEqualTo(product);

        assertThat(post("/products/1/name", "samovar").statusCode()).isEqualTo(200);

        assertThat(http.get("/products/1").body()).startsWith("samovar #").isNotEqualTo(product);
        assertThat(http.get("/products").body()).startsWith("samovar,teapot #").isNotEqualTo(list);
        assertThat(http.get("/products/2").body()).isEqualTo(other);
    }

    @Test
    void anErrorAnswerEvictsNothing() throws Exception {
        String product = http.get("/products/1").body();

        assertThat(post("/products/1/refused-name", "samovar").statusCode()).isEqualTo(409);

        assertThat(http.get("/products/1").body()).isEqualTo(product);
    }

    @Test
    void aRolledBackTransactionEvictsNothing() throws Exception {
        String product = http.get("/products/1").body();
        String list = http.get("/products").body();

        HttpResponse<String> aborted = post("/products/1/aborted-name", "samovar");

        assertThat(aborted.statusCode()).isEqualTo(409);
        assertThat(catalog.name(1)).isEqualTo("kettle");
        assertThat(http.get("/products/1").body()).isEqualTo(product);
        assertThat(http.get("/products").body()).isEqualTo(list);
    }

    @Test
    void theEvictionWaitsForTheSurroundingTransactionToCommit() throws Exception {
        String product = http.get("/products/1").body();

        HttpResponse<String> batched = post("/products/1/batched-name", "samovar");

        assertThat(batched.body()).isEqualTo("kept inside");
        assertThat(http.get("/products/1").body()).startsWith("samovar #").isNotEqualTo(product);
    }

    @Test
    void theEvictorEvictsByTagUrlAndPrefixFromCode() throws Exception {
        String first = http.get("/products/1").body();
        String second = http.get("/products/2").body();
        String list = http.get("/products").body();

        assertThat(evictor.evictUrls(http.uri("/products/1").toString())).isEqualTo(1);
        assertThat(http.get("/products/1").body()).isNotEqualTo(first);
        assertThat(http.get("/products/2").body()).isEqualTo(second);

        assertThat(evictor.evictTags("product-lists")).isEqualTo(1);
        assertThat(http.get("/products").body()).isNotEqualTo(list);

        assertThat(evictor.evictPrefixes(http.uri("/products/").toString())).isEqualTo(2);
        assertThat(http.get("/products/2").body()).isNotEqualTo(second);
    }

    @Test
    void aPathNeedsARequestToResolveAgainst() {
        assertThatThrownBy(() -> evictor.evictUrls("/products/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/products/1").hasMessageContaining("absolute URL");
    }

    @Test
    void varyKeepsAnEntryPerLanguage() throws Exception {
        HttpResponse<String> english = http.get("/greeting", "Accept-Language", "en");
        HttpResponse<String> french = http.get("/greeting", "Accept-Language", "fr-FR");
        HttpResponse<String> englishAgain = http.get("/greeting", "Accept-Language", "en");

        assertThat(english.headers().allValues("Vary")).contains("Accept-Language");
        assertThat(french.body()).startsWith("Bonjour");
        assertThat(englishAgain.body()).isEqualTo(english.body());
        assertThat(englishAgain.headers().firstValue("Cache-Status").orElseThrow()).contains("hit");
    }

    @Test
    void withoutVaryTheFirstLanguageIsServedToEveryone() throws Exception {
        HttpResponse<String> english = http.get("/unvaried-greeting", "Accept-Language", "en");
        HttpResponse<String> french = http.get("/unvaried-greeting", "Accept-Language", "fr-FR");

        assertThat(french.body()).isEqualTo(english.body()).startsWith("Hello");
    }

    @Test
    void methodAttributesCombineWithTheClassesAndPlaceholdersResolve() throws Exception {
        HttpResponse<String> today = http.get("/offers/today");
        HttpResponse<String> all = http.get("/offers/all");

        assertThat(today.headers().firstValue("Cache-Control"))
                .hasValue("max-age=45, no-transform, proxy-revalidate, s-maxage=600");
        assertThat(today.headers().allValues("Vary")).contains("Accept");
        assertThat(all.headers().firstValue("Cache-Control")).hasValue("s-maxage=600");
        assertThat(filter.storage().list(0, 10)).anySatisfy(entry -> {
            assertThat(entry.url()).endsWith("/offers/today");
            assertThat(entry.tags()).containsExactlyInAnyOrder("offers", "today");
        });
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(http.request(path).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
