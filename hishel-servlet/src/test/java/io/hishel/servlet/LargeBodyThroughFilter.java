package io.hishel.servlet;

import io.hishel.jdbc.JdbcStorage;
import io.hishel.policy.CacheOptions;
import io.hishel.policy.SpecificationPolicy;
import io.hishel.storage.StorageOptions;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Run in a child JVM whose heap is smaller than the body: serves a body through the filter twice,
 * a miss that stores it in SQLite and a hit that streams it back, and prints the digests the
 * application wrote and the client received. Arguments: the database file, then the size.
 */
public final class LargeBodyThroughFilter {

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[1]);
        try (JdbcStorage storage = JdbcStorage.sqlite(Path.of(args[0]))
                .options(StorageOptions.builder().maxBytes(size * 2).build()).scheduleMaintenance(false).build()) {
            HishelCacheFilter filter = HishelCacheFilter.builder(storage)
                    .policy(new SpecificationPolicy(CacheOptions.builder().maxEntrySize(size * 2).build()))
                    .executor(Runnable::run)
                    .build();
            MessageDigest written = MessageDigest.getInstance("SHA-256");
            try (TestServer server = TestServer.start(filter)) {
                server.route("/large", (request, response) -> {
                    response.setHeader("Cache-Control", "max-age=600");
                    response.setContentType("application/octet-stream");
                    byte[] piece = new byte[32 * 1024];
                    Random random = new Random(11);
                    var out = response.getOutputStream();
                    for (long remaining = size; remaining > 0; remaining -= piece.length) {
                        random.nextBytes(piece);
                        int length = (int) Math.min(piece.length, remaining);
                        out.write(piece, 0, length);
                        written.update(piece, 0, length);
                    }
                });
                String miss = fetch(server);
                String hit = fetch(server);
                System.out.println("WRITTEN " + HexFormat.of().formatHex(written.digest()));
                System.out.println("MISS " + miss);
                System.out.println("HIT " + hit);
                System.out.println("CALLS " + server.calls("/large") + " max-heap " + Runtime.getRuntime().maxMemory());
            }
        }
    }

    private static String fetch(TestServer server) throws Exception {
        HttpResponse<InputStream> response = server.client.send(server.request("/large").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest()) + " " + total + " from-cache="
                + response.headers().firstValue("X-Hishel-From-Cache").orElse("?");
    }
}
