package io.hishel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.HishelCacheFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** hishel.enabled=false leaves the sample as it would be without the dependency: it starts and answers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "hishel.enabled=false")
class CacheSwitchedOffTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void theSampleStartsAndTheApplicationAnswersEveryRequestItself() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest product = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/articles/1")).build();

        HttpResponse<String> first = client.send(product, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = client.send(product, HttpResponse.BodyHandlers.ofString());

        assertThat(context.getBeanNamesForType(HishelCacheFilter.class)).isEmpty();
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Cache-Status")).isEmpty();
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).isEmpty();
    }
}
