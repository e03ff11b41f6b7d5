package io.hishel.spring.boot.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.spring.boot.Http;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The Actuator security example of the operations page, as written there (it is included from
 * this file): an operator lists and purges the cache, anyone else is refused, and the purge, a
 * DELETE, is not refused by CSRF protection, which a chain of HTTP Basic calls has no use for.
 */
@SpringBootTest(classes = ActuatorSecurityExampleTest.OperatedApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hishel.storage.type=memory", "management.endpoints.web.exposure.include=hishel,health"})
class ActuatorSecurityExampleTest {

    private static final String OPERATOR = "Basic "
            + Base64.getEncoder().encodeToString("operator:secret".getBytes(StandardCharsets.UTF_8));

    @LocalServerPort
    int port;

    @Test
    void anOperatorPurgesTheCacheAndAStrangerCannot() throws Exception {
        Http http = new Http(port);

        HttpResponse<String> purge = http.send(http.request("/actuator/hishel?all=true").DELETE()
                .header("Authorization", OPERATOR).build());
        HttpResponse<String> strangersPurge = http.send(http.request("/actuator/hishel?all=true").DELETE().build());
        HttpResponse<String> listing = http.get("/actuator/hishel", "Authorization", OPERATOR);
        HttpResponse<String> health = http.get("/actuator/health");

        assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
        assertThat(purge.body()).contains("\"purged\"");
        assertThat(strangersPurge.statusCode()).isEqualTo(401);
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @SpringBootApplication(excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
    static class OperatedApplication {

        // tag::management-security[]
        @Bean
        @Order(1)
        SecurityFilterChain management(HttpSecurity http) throws Exception {
            return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                    .authorizeHttpRequests(requests -> requests
                            .requestMatchers(EndpointRequest.to("health")).permitAll()
                            .anyRequest().hasRole("OPERATOR"))
                    .httpBasic(Customizer.withDefaults())
                    // Every call authenticates itself, no session cookie is issued: nothing for a
                    // cross-site request to ride on, so CSRF protection, which refuses the DELETE
                    // of a purge with 403, is off for this chain.
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .csrf(csrf -> csrf.disable())
                    .build();
        }
        // end::management-security[]

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("operator").password("{noop}secret").roles("OPERATOR").build());
        }
    }
}
