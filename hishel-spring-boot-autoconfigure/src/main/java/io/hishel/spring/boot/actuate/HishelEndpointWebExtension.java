package io.hishel.spring.boot.actuate;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link HishelEndpoint} over HTTP, as Boot's own endpoints put their status codes in a web
 * extension: 400 with the reason for bad arguments, 503 when the storage fails a purge, each
 * with an {@code error} message and no stack trace.
 */
@EndpointWebExtension(endpoint = HishelEndpoint.class)
public class HishelEndpointWebExtension {

    private final HishelEndpoint endpoint;

    public HishelEndpointWebExtension(HishelEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> cache(@Nullable Integer page, @Nullable Integer size) {
        try {
            return new WebEndpointResponse<>(endpoint.cache(page, size), WebEndpointResponse.STATUS_OK);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    @DeleteOperation
    public WebEndpointResponse<Map<String, Object>> purge(@Nullable String url, @Nullable String prefix,
                                                          @Nullable String tag, @Nullable Boolean all) {
        try {
            return new WebEndpointResponse<>(endpoint.purge(url, prefix, tag, all), WebEndpointResponse.STATUS_OK);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
        } catch (RuntimeException e) {
            return error("the storage failed: " + e.getMessage(), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
        }
    }

    private static WebEndpointResponse<Map<String, Object>> error(@Nullable String message, int status) {
        return new WebEndpointResponse<>(Map.of("error", String.valueOf(message)), status);
    }
}
