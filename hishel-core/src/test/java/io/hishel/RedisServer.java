package io.hishel;

import static org.junit.jupiter.api.Assertions.fail;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server tests use: 127.0.0.1:6379 (override with {@code HISHEL_REDIS_URL}). When none
 * answers a {@code PING} the tests are skipped with a message saying so — unless
 * {@code HISHEL_REQUIRE_REDIS} is set, as {@code .ci/run} sets it, in which case they fail. Needs
 * no Redis client: the check speaks the protocol's one line itself.
 */
public final class RedisServer {

    public static final String URL = System.getenv().getOrDefault("HISHEL_REDIS_URL", "redis://127.0.0.1:6379");

    private RedisServer() {
    }

    /** Skips (or, in CI, fails) the calling test when the server does not answer. */
    public static void assumeReachable() {
        URI uri = URI.create(URL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 3_000);
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(5);
            if (!new String(answer, StandardCharsets.US_ASCII).equals("+PONG")) {
                throw new IOException("it answered " + new String(answer, StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            String message = "Redis at " + URL + " is not reachable (" + e.getMessage()
                    + "); the Redis tests are skipped";
            if (System.getenv("HISHEL_REQUIRE_REDIS") != null) {
                fail(message.replace("are skipped", "are required here (HISHEL_REQUIRE_REDIS)"));
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
    }
}
