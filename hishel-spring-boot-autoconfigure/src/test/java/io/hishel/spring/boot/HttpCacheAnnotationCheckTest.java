package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Issue 17: every {@code @HttpCache} and {@code @HttpCacheEvict} is checked when the application starts. */
class HttpCacheAnnotationCheckTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class, WebMvcAutoConfiguration.class,
                    DispatcherServletAutoConfiguration.class))
            .withPropertyValues("hishel.storage.type=memory");

    @Test
    void aBadDurationStopsTheStartUpNamingTheMethodAndAttribute() {
        runner.withUserConfiguration(BadDuration.class).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            FailureAnalysis analysis = new HishelFailureAnalyzer.AnnotationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("BadDuration.page").contains("maxAge = \"ten minutes\"")
                    .contains("write 90, 90s, 10m");
        });
    }

    @Test
    void anUnresolvedPlaceholderStopsTheStartUp() {
        runner.withUserConfiguration(Placeholder.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("page.max-age");
            FailureAnalysis analysis = new HishelFailureAnalyzer.AnnotationFailureAnalyzer()
                    .analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Placeholder.page").contains("${page.max-age}");
        });
    }

    @Test
    void aResolvedPlaceholderStarts() {
        runner.withUserConfiguration(Placeholder.class).withPropertyValues("page.max-age=2m")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void contradictoryDirectivesStopTheStartUp() {
        runner.withUserConfiguration(Contradiction.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(new HishelFailureAnalyzer.AnnotationFailureAnalyzer().analyze(context.getStartupFailure())
                    .getDescription()).contains("noCache = true").contains("maxAge");
        });
    }

    @Test
    void anEvictionOfNothingStopsTheStartUp() {
        runner.withUserConfiguration(EmptyEviction.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(new HishelFailureAnalyzer.AnnotationFailureAnalyzer().analyze(context.getStartupFailure())
                    .getDescription()).contains("@HttpCacheEvict on EmptyEviction.write evicts nothing");
        });
    }

    @RestController
    static class BadDuration {
        @GetMapping("/page")
        @HttpCache(maxAge = "ten minutes")
        String page() {
            return "page";
        }
    }

    @RestController
    static class Placeholder {
        @GetMapping("/page")
        @HttpCache(maxAge = "${page.max-age}")
        String page() {
            return "page";
        }
    }

    @RestController
    static class Contradiction {
        @GetMapping("/page")
        @HttpCache(maxAge = "60", noCache = true)
        String page() {
            return "page";
        }
    }

    @RestController
    static class EmptyEviction {
        @PostMapping("/page")
        @HttpCacheEvict
        String write() {
            return "written";
        }
    }
}
