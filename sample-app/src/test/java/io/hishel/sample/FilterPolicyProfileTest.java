package io.hishel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.policy.FilterPolicy;
import io.hishel.servlet.HishelCacheFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** With the filter-policy profile, the sample's FilterPolicy bean replaces RFC 9111. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hishel.storage.type=memory")
@ActiveProfiles("filter-policy")
class FilterPolicyProfileTest {

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter cache;

    @Test
    void theCatalogueIsStoredByTheApplicationsRulesAndNothingElseIs() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> first = client.send(get("/catalogue/2"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = client.send(get("/catalogue/2"), HttpResponse.BodyHandlers.ofString());
        client.send(get("/server-only"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> serverOnly = client.send(get("/server-only"), HttpResponse.BodyHandlers.ofString());

        assertThat(cache.policy()).isInstanceOf(FilterPolicy.class);
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(serverOnly.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build();
    }
}
