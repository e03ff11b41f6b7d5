package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** One user's response never reaches another, and clients cannot poison what others receive. */
class SafetyTest extends FilterTestSupport {

    @Test
    @Rfc("RFC 9111 §3.5")
    void aResponseToAnAuthorisedRequestIsNotServedToAnotherClient() throws Exception {
        start().route("/account", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().write("account of " + request.getHeader("Authorization"));
        });

        server.get("/account", "Authorization", "Bearer alice");
        HttpResponse<String> anonymous = server.get("/account");
        HttpResponse<String> bob = server.get("/account", "Authorization", "Bearer bob");

        assertThat(anonymous.body()).isEqualTo("account of null");
        assertThat(bob.body()).isEqualTo("account of Bearer bob");
        assertThat(server.calls("/account")).isEqualTo(3);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.7")
    void privateResponsesAndResponsesThatSetCookiesAreNotShared() throws Exception {
        start().route("/me", (request, response) -> {
            response.setHeader("Cache-Control", "private, max-age=600");
            response.getWriter().write("me: " + request.getHeader("Cookie"));
        }).route("/welcome", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.addHeader("Set-Cookie", "session=" + request.getHeader("X-User"));
            response.getWriter().write("hello");
        });

        server.get("/me", "Cookie", "user=alice");
        HttpResponse<String> bob = server.get("/me", "Cookie", "user=bob");
        server.get("/welcome", "X-User", "alice");
        HttpResponse<String> bobWelcome = server.get("/welcome", "X-User", "bob");

        assertThat(bob.body()).isEqualTo("me: user=bob");
        assertThat(bobWelcome.headers().allValues("Set-Cookie")).containsExactly("session=bob");
        assertThat(server.calls("/me")).isEqualTo(2);
        assertThat(server.calls("/welcome")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9111 §5.2.2.5")
    void springSecuritysDefaultCacheControlIsNeverStored() throws Exception {
        // CVE-2026-59427: a cache that compared the whole field with "no-store" stored this.
        start().route("/secured", (request, response) -> {
            response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
            response.setHeader("Pragma", "no-cache");
            response.getWriter().write("secret of " + request.getHeader("X-User"));
        });

        server.get("/secured", "X-User", "alice");
        HttpResponse<String> bob = server.get("/secured", "X-User", "bob");

        assertThat(bob.body()).isEqualTo("secret of bob");
        assertThat(stored("/secured")).isEmpty();
    }

    @Test
    @Rfc("RFC 9111 §2")
    void aFieldOutsideTheKeyCannotChangeWhatOtherClientsAreServed() throws Exception {
        start().route("/home", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            String host = request.getHeader("X-Forwarded-Host");
            response.getWriter().write("<script src=\"//" + (host == null ? "example.com" : host) + "/app.js\">");
        });

        // The attacker's request is the first: if its answer were stored, every later visitor would get it.
        RawHttp.Reply poisoned = RawHttp.exchange(server.port, "GET", "/home", "X-Forwarded-Host: evil.test");
        RawHttp.Reply victim = RawHttp.exchange(server.port, "GET", "/home");
        RawHttp.Reply victimAgain = RawHttp.exchange(server.port, "GET", "/home");
        RawHttp.Reply behindProxy = RawHttp.exchange(server.port, "GET", "/home", "X-Forwarded-Host: shop.test");
        RawHttp.Reply behindProxyAgain = RawHttp.exchange(server.port, "GET", "/home", "X-Forwarded-Host: shop.test");

        assertThat(poisoned.body()).contains("evil.test");
        assertThat(victim.body()).doesNotContain("evil.test");
        assertThat(victimAgain.header("X-Hishel-From-Cache")).isEqualTo("true");
        assertThat(victimAgain.body()).doesNotContain("evil.test");
        assertThat(behindProxyAgain.body()).isEqualTo(behindProxy.body()).contains("shop.test");
        assertThat(behindProxyAgain.header("X-Hishel-From-Cache")).isEqualTo("true");
    }

    @Test
    @Rfc("RFC 9111 §4.1")
    void aResponseThatVariesOnAFieldIsStoredPerValue() throws Exception {
        start().route("/greeting", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.setHeader("Vary", "Accept-Language");
            response.getWriter().write(request.getHeader("Accept-Language").startsWith("de") ? "Hallo" : "Hello");
        });

        server.get("/greeting", "Accept-Language", "de");
        server.get("/greeting", "Accept-Language", "en");
        HttpResponse<String> german = server.get("/greeting", "Accept-Language", "de");
        HttpResponse<String> english = server.get("/greeting", "Accept-Language", "en");

        assertThat(german.body()).isEqualTo("Hallo");
        assertThat(english.body()).isEqualTo("Hello");
        assertThat(server.calls("/greeting")).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9111 §2")
    void theKeyHoldsTheHostSoVirtualHostsDoNotShareEntries() throws Exception {
        start().route("/site", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=600");
            response.getWriter().write("site " + request.getServerName());
        });

        RawHttp.exchange(server.port, "GET", "/site", "Host: one.test:" + server.port);
        RawHttp.Reply two = RawHttp.exchange(server.port, "GET", "/site", "Host: two.test:" + server.port);
        RawHttp.Reply oneAgain = RawHttp.exchange(server.port, "GET", "/site", "Host: one.test:" + server.port);

        assertThat(two.body()).isEqualTo("site two.test");
        assertThat(oneAgain.body()).isEqualTo("site one.test");
        assertThat(oneAgain.header("X-Hishel-From-Cache")).isEqualTo("true");
        assertThat(server.calls("/site")).isEqualTo(2);
    }
}
