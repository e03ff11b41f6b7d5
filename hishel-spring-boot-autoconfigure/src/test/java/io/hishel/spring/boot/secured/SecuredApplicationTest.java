package io.hishel.spring.boot.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With Spring Security in the application, the cache sits behind it: a stored response is never
 * handed to a request that security refuses.
 */
@SpringBootTest(classes = SecuredApplicationTest.SecuredApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"hishel.storage.type=memory", "hishel.filter.metadata-headers=true"})
class SecuredApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @Autowired
    SecuredApplication.Endpoints endpoints;

    @Test
    void aStoredResponseIsNotServedToARequestSecurityRefuses() throws Exception {
        Http http = new Http(port);
        String alice = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> member = http.get("/members/report", "Authorization", alice);
        HttpResponse<String> memberAgain = http.get("/members/report", "Authorization", alice);
        HttpResponse<String> stranger = http.get("/members/report");

        assertThat(member.statusCode()).isEqualTo(200);
        assertThat(memberAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).doesNotContain("the members' report");
        assertThat(endpoints.calls).hasValue(1);
    }

    @Test
    void publicPagesAreCachedBehindSecurityToo() throws Exception {
        Http http = new Http(port);
        http.get("/welcome");

        HttpResponse<String> second = http.get("/welcome");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @SpringBootApplication(excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
    static class SecuredApplication {

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/members/**").authenticated()
                            .anyRequest().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("MEMBER").build());
        }

        @RestController
        static class Endpoints {
            final AtomicInteger calls = new AtomicInteger();

            // public: a shared cache may store an answer to an authorised request (RFC 9111 §3.5)
            @GetMapping("/members/report")
            org.springframework.http.ResponseEntity<String> report() {
                calls.incrementAndGet();
                return org.springframework.http.ResponseEntity.ok().header("Cache-Control", "public, max-age=60")
                        .body("the members' report");
            }

            @GetMapping("/welcome")
            org.springframework.http.ResponseEntity<String> welcome() {
                return org.springframework.http.ResponseEntity.ok().header("Cache-Control", "max-age=60").body("welcome");
            }
        }
    }
}
