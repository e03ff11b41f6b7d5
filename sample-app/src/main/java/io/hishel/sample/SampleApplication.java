package io.hishel.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a few endpoints, each showing one thing the cache does, and a live page
 * at {@code http://localhost:8080/} to watch it decide. Run it from the repository root with
 * {@code ./mvnw spring-boot:run}, or with {@code java -jar sample-app/target/sample-app-<version>.jar}
 * after {@code ./mvnw verify}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
