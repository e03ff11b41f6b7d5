package io.hishel.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** Issue 17, errors the Boot way: typos, origins and missing drivers reported at start-up. */
class PropertyMistakesTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HishelAutoConfiguration.class));

    @Test
    void anUnknownKeyStopsTheStartUpNamingIt() {
        runner.withPropertyValues("hishel.storage.type=memory", "hishel.storage.defualt-ttl=1h").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(UnboundConfigurationPropertiesException.class)
                    .hasMessageContaining("hishel.storage.defualt-ttl");
        });
    }

    @Test
    void anUnknownKeyInARuleStopsTheStartUpNamingIt() {
        runner.withPropertyValues("hishel.storage.type=memory", "hishel.rules[0].pattern=/a", "hishel.rules[0].patern=/b")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(UnboundConfigurationPropertiesException.class)
                            .hasMessageContaining("hishel.rules[0].patern");
                });
    }

    @Test
    void knownKeysStart() {
        runner.withPropertyValues("hishel.storage.type=memory", "hishel.rules[0].pattern=/a", "hishel.rules[0].ttl=60")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aRejectedValueIsReportedWithTheFileAndLineItCameFrom() throws Exception {
        List<PropertySource<?>> loaded = new PropertiesPropertySourceLoader().load("mistakes",
                new ClassPathResource("hishel-mistakes/application.properties"));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(loaded.get(0));

        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(loaded.get(0)))
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new HishelFailureAnalyzer(environment).analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("hishel.options.heuristic-fraction", "'2.0'")
                            .contains("Origin: class path resource [hishel-mistakes/application.properties] - 2:");
                });
    }

    @Test
    void aMissingJdbcDriverNamesTheArtifactToAdd() {
        runner.withPropertyValues("hishel.storage.type=jdbc", "hishel.storage.jdbc.url=jdbc:mysql://localhost/cache")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new HishelFailureAnalyzer(new StandardEnvironment())
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("hishel.storage.jdbc.url", "jdbc:mysql://localhost/cache");
                    assertThat(analysis.getAction()).contains("com.mysql:mysql-connector-j");
                });
    }
}
