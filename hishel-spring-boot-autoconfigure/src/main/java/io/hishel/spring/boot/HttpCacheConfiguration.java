package io.hishel.spring.boot;

import io.hishel.servlet.HishelCacheFilter;
import java.util.List;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.StringValueResolver;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The cache from application code: the {@link HttpCacheEvictor} bean, {@link HttpCacheEvict} on any
 * bean's methods, and {@link HttpCache} on controllers — each annotation checked when the
 * application starts, by walking the handler mappings, rather than by its first request.
 */
@Configuration(proxyBeanMethods = false)
@Import(HttpCacheConfiguration.AutoProxying.class)
class HttpCacheConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpCacheEvictor hishelCacheEvictor(HishelCacheFilter filter) {
        return new HttpCacheEvictor(filter);
    }

    /** Static, and infrastructure, so that declaring it initialises nothing the proxies should still advise. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static HttpCacheEvictAdvisor hishelCacheEvictAdvisor(ObjectProvider<HttpCacheEvictor> evictor, BeanFactory beans) {
        return new HttpCacheEvictAdvisor(evictor, placeholders(beans));
    }

    static StringValueResolver placeholders(BeanFactory beans) {
        return beans instanceof ConfigurableBeanFactory configurable ? configurable::resolveEmbeddedValue : value -> value;
    }

    /** {@link HttpCache} on controllers and the start-up check, when Spring MVC is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class AnnotationConfiguration implements WebMvcConfigurer, SmartInitializingSingleton {

        private final HttpCacheInterceptor interceptor;
        private final ListableBeanFactory beans;
        private final HttpCacheEvictAdvisor evictAdvisor;

        AnnotationConfiguration(ListableBeanFactory beans, HttpCacheEvictAdvisor evictAdvisor) {
            this.interceptor = new HttpCacheInterceptor(placeholders(beans));
            this.beans = beans;
            this.evictAdvisor = evictAdvisor;
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(interceptor);
        }

        /** First, so the directives are gone before any exception handler writes its answer. */
        @Override
        public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
            resolvers.add(0, interceptor);
        }

        /** Every handler method's annotations, read now: a mistake stops the start-up, naming the method. */
        @Override
        public void afterSingletonsInstantiated() {
            for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
                for (HandlerMethod method : mapping.getHandlerMethods().values()) {
                    interceptor.check(method);
                    evictAdvisor.check(method.getMethod(), method.getBeanType());
                }
            }
        }
    }

    /**
     * Proxies for {@link HttpCacheEvict} even where Spring Boot's own AOP set-up is off
     * ({@code spring.aop.auto=false}); a creator already registered is kept, or raised, as
     * {@code @EnableTransactionManagement} does.
     */
    static class AutoProxying implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
