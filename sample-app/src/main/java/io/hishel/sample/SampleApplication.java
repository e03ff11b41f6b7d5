package io.hishel.sample;

import io.hishel.spring.boot.MetadataHeadersPredicate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

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

    /**
     * The X-Hishel-* response fields, which the live page shows, for whoever runs the sample on
     * their own machine only: they are off by default because they tell any client whether someone
     * else asked for a URL lately.
     */
    // tag::metadata-headers[]
    @Bean
    MetadataHeadersPredicate localClientsSeeCacheHeaders() {
        return request -> isLoopback(request.getRemoteAddr());
    }
    // end::metadata-headers[]

    private static boolean isLoopback(String address) {
        try {
            // An address literal: no name lookup.
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
