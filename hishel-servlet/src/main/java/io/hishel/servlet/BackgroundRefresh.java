package io.hishel.servlet;

import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.storage.Entry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh of {@code stale-while-revalidate} (RFC 5861 §3), made once the client has its answer
 * and its connection is free again.
 *
 * <p>A servlet filter reaches the application only while it holds a request, and the container
 * recycles that request when the filter returns. So the refresh is a request of its own: the
 * filter sends the client's request once more to its own container, over loopback — its method,
 * target, {@code Host} and fields, and the body the cache read to key on it — and the container
 * runs it like any other, every filter before the cache included. The application gets a request
 * it can use in full: its own input stream, sessions, asynchronous processing. The request carries
 * a token that only this filter knows, which turns the receiving exchange into a validation of one
 * stored entry ({@link #entryToRefresh}) instead of an ordinary request.
 *
 * <p>It leaves out the client's credentials — {@code Cookie} and {@code Authorization}, unless the
 * stored response varies on them — since it refreshes a response shared by everyone, not the
 * client's own; and the client's conditionals, which the validation replaces with the stored
 * validators. Thread-safe.
 */
final class BackgroundRefresh {

    /** The request field that marks a refresh: the token, a space, and the id of the entry to refresh. */
    static final String FIELD = "Hishel-Refresh";

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRefresh.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the application may take to answer a refresh before the loopback request gives up. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    /** Fields never sent again: hop-by-hop ones, those the request line and the body decide, and ours. */
    private static final Set<String> NOT_SENT = Set.of(
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "expect", "if-none-match", "if-modified-since", "if-range", "range",
            "if-match", "if-unmodified-since", FIELD.toLowerCase(Locale.ROOT));
    private static final Set<String> CREDENTIALS = Set.of("cookie", "authorization", "proxy-authorization");

    private final Executor executor;
    private final byte[] token;
    private final String tokenText;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    BackgroundRefresh(Executor executor) {
        this.executor = executor;
        this.token = new byte[18];
        new SecureRandom().nextBytes(token);
        this.tokenText = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * Starts the refresh of a stored entry, to run after the client's exchange.
     *
     * @param client  the client's request, still the container's
     * @param core    the client's request as the engine saw it
     * @param entry   the stale entry to refresh
     * @param body    the body the cache read to key on it, or null
     * @param done    run when the refresh has ended, whatever became of it
     * @return false if it could not be started (no loopback target, the queue is full); {@code done}
     *         is then not run
     */
    boolean start(HttpServletRequest client, Request core, Entry entry, byte[] body, Runnable done) {
        Target target = Target.of(client);
        if (target == null) {
            return false;
        }
        byte[] message = message(client, core, entry, body);
        try {
            executor.execute(() -> {
                try {
                    send(target, message, core);
                } finally {
                    done.run();
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            LOG.debug("Refresh queue full; {} stays stale until its next request", core.url());
            return false;
        }
    }

    /**
     * The entry a request asks to refresh, if it is a refresh this filter sent.
     *
     * @param request a request the filter received
     * @return the entry's id, or empty for an ordinary request (also one with a forged token)
     */
    Optional<UUID> entryToRefresh(HttpServletRequest request) {
        String value = request.getHeader(FIELD);
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        if (space < 0 || !MessageDigest.isEqual(value.substring(0, space).getBytes(StandardCharsets.US_ASCII),
                tokenText.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value.substring(space + 1).trim()));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** The HTTP/1.1 request, written now: the container's request object is gone once the filter returns. */
    private byte[] message(HttpServletRequest client, Request core, Entry entry, byte[] body) {
        Set<String> varied = variedFields(entry);
        StringBuilder head = new StringBuilder(512);
        String target = client.getRequestURI();
        String query = client.getQueryString();
        head.append(core.method()).append(' ').append(query == null ? target : target + '?' + query)
                .append(" HTTP/1.1\r\n");
        String host = client.getHeader("Host");
        head.append("Host: ").append(host != null ? host : client.getServerName() + ":" + client.getServerPort())
                .append("\r\n");
        Set<String> hopByHop = new java.util.HashSet<>();
        for (String option : core.headers().listValues("Connection")) {
            hopByHop.add(option.toLowerCase(Locale.ROOT));
        }
        for (Headers.Field field : core.headers()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (NOT_SENT.contains(name) || hopByHop.contains(name) || CREDENTIALS.contains(name) && !varied.contains(name)) {
                continue;
            }
            head.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        head.append(FIELD).append(": ").append(tokenText).append(' ').append(entry.id()).append("\r\n");
        head.append("Connection: close\r\n");
        byte[] content = body == null ? new byte[0] : body;
        if (content.length > 0 || !core.method().equals("GET") && !core.method().equals("HEAD")) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream message = new ByteArrayOutputStream(headBytes.length + content.length);
        message.writeBytes(headBytes);
        message.writeBytes(content);
        return message.toByteArray();
    }

    private static Set<String> variedFields(Entry entry) {
        Set<String> names = new java.util.HashSet<>();
        for (String name : entry.response().headers().listValues("Vary")) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private void send(Target target, byte[] message, Request core) {
        try (Socket socket = target.connect()) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(message);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = statusLine(in);
            // Connection: close: the answer ends with the connection; what it says beyond the status is not needed.
            in.transferTo(OutputStream.nullOutputStream());
            if (!status.startsWith("HTTP/1.1 204")) {
                warn("The refresh of {} was answered \"{}\" instead of by the cache: it stays stale until its next "
                        + "request (is a filter before the cache refusing requests from {}?)", core.url(), status,
                        target.address());
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            warn("The refresh of {} failed: {}; it stays stale until its next request", core.url(), e.toString(),
                    null);
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(32);
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 256) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private void warn(String message, Object first, Object second, Object third) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn(message, first, second, third);
        } else {
            LOG.debug(message, first, second, third);
        }
    }

    /** Where the client's request arrived: the container's own connector, on the same machine. */
    private record Target(InetSocketAddress address, boolean tls, String serverName) {

        static Target of(HttpServletRequest request) {
            String address = request.getLocalAddr();
            int port = request.getLocalPort();
            if (address == null || port <= 0) {
                return null;
            }
            try {
                // A connection over TLS has a cipher suite; isSecure() alone may come from a proxy's fields.
                boolean tls = request.getAttribute("jakarta.servlet.request.cipher_suite") != null;
                return new Target(new InetSocketAddress(InetAddress.getByName(address), port), tls,
                        request.getServerName());
            } catch (IOException unknown) {
                return null;
            }
        }

        Socket connect() throws IOException, GeneralSecurityException {
            Socket plain = new Socket();
            plain.connect(address, (int) CONNECT_TIMEOUT.toMillis());
            if (!tls) {
                return plain;
            }
            // The peer is this very server, reached by address: its certificate names the public host, not
            // the address, and the token authenticates the request. Nothing but this connection trusts it.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST_OWN_CONNECTOR}, null);
            SSLSocket secured = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, address.getHostString(), address.getPort(), true);
            SSLParameters parameters = secured.getSSLParameters();
            if (serverName != null && !serverName.isEmpty() && Character.isLetter(serverName.charAt(0))) {
                parameters.setServerNames(java.util.List.of(new SNIHostName(serverName)));
            }
            secured.setSSLParameters(parameters);
            secured.startHandshake();
            return secured;
        }
    }

    private static final X509TrustManager TRUST_OWN_CONNECTOR = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
