package io.hishel.spring.boot.actuate;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.HishelAutoConfiguration;
import io.hishel.spring.boot.HishelProperties;
import io.hishel.spring.boot.HttpCacheEvictor;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationFilter;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The cache's Actuator endpoint, health indicator and meters, each only when its part of Actuator
 * is on the class path and the cache is installed.
 */
@AutoConfiguration(after = HishelAutoConfiguration.class)
@ConditionalOnBean(HishelCacheFilter.class)
public class HishelActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    @ConditionalOnAvailableEndpoint(HishelEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HishelEndpoint hishelEndpoint(HishelCacheFilter filter) {
            return new HishelEndpoint(filter, Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(HishelEndpoint.class)
        HishelEndpointWebExtension hishelEndpointWebExtension(HishelEndpoint endpoint) {
            return new HishelEndpointWebExtension(endpoint);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("hishel")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "hishelHealthIndicator")
        HishelHealthIndicator hishelHealthIndicator(HishelCacheFilter filter) {
            return new HishelHealthIndicator(filter);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HishelMetrics hishelMetrics(ObjectProvider<HishelCacheFilter> filter, ObjectProvider<HttpCacheEvictor> evictor,
                                    HishelProperties properties) {
            return new HishelMetrics(filter, evictor, properties.getFilter().getCacheName());
        }
    }

    /** The cache's result and a hit's route on Spring's {@code http.server.requests} observations. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ObservationFilter.class, ServerRequestObservationContext.class})
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HishelObservationFilter hishelObservationFilter() {
            return new HishelObservationFilter();
        }
    }
}
