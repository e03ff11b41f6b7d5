package io.hishel.sample;

import io.hishel.http.Request;
import io.hishel.http.Response;
import io.hishel.policy.BaseFilter;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.FilterPolicy;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The application's own caching rules instead of RFC 9111's, active with the {@code filter-policy}
 * profile: declaring a {@link FilterPolicy} bean replaces the default policy. Entries then live for
 * their TTL ({@code hishel.storage.default-ttl} in {@code application-filter-policy.yml}).
 */
// tag::filter-policy[]
@Configuration(proxyBeanMethods = false)
@Profile("filter-policy")
class CataloguePolicy {

    @Bean
    FilterPolicy catalogueFilterPolicy(CacheOptions options) {
        BaseFilter<Request> cataloguePages = (request, body) -> request.url().getPath().startsWith("/catalogue/");
        BaseFilter<Response> successes = (response, body) -> response.status() == 200;
        return new FilterPolicy(List.of(cataloguePages), List.of(successes), options);
    }
}
// end::filter-policy[]
