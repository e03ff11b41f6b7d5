package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import jakarta.servlet.Filter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the container and the filters before the cache know about the client counts as much as
 * the request's own fields: a signed-in user (RFC 9111 §3.5), a session the answer created, a
 * cookie set past the cache, a session value the answer rendered.
 */
class SessionsAndSignedInUsersTest extends FilterTestSupport {

    /** As a security filter does for a session's user: the user is in the request, not in its fields. */
    private static final Filter SIGNED_IN_BY_HEADER = (request, response, chain) -> {
        String user = ((HttpServletRequest) request).getHeader("X-Test-User");
        chain.doFilter(user == null ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
            @Override
            public Principal getUserPrincipal() {
                return () -> user;
            }

            @Override
            public String getRemoteUser() {
                return user;
            }
        }, response);
    };

    @Test
    @Rfc("RFC 9111 §3.5")
    void aSignedInUsersAnswerIsNeitherStoredNorAnsweredFromAnAnonymousEntry() throws Exception {
        start(SIGNED_IN_BY_HEADER, UnaryOperator.identity()).route("/home", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("hello " + request.getRemoteUser());
        });

        HttpResponse<String> alice = server.get("/home", "X-Test-User", "alice");
        HttpResponse<String> anonymous = server.get("/home");
        HttpResponse<String> bob = server.get("/home", "X-Test-User", "bob");
        HttpResponse<String> anonymousAgain = server.get("/home");

        assertThat(alice.headers().firstValue("Cache-Status").orElseThrow())
                .contains("detail=authorization-in-shared-cache");
        assertThat(anonymous.body()).isEqualTo("hello null");
        assertThat(bob.body()).isEqualTo("hello bob");
        assertThat(anonymousAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    @Rfc("RFC 9111 §3.5")
    void aSignedInUsersPublicAnswerIsShared() throws Exception {
        start(SIGNED_IN_BY_HEADER, UnaryOperator.identity()).route("/news", (request, response) -> {
            response.setHeader("Cache-Control", "public, max-age=60");
            response.getWriter().write("news");
        });

        server.get("/news", "X-Test-User", "alice");

        assertThat(server.get("/news", "X-Test-User", "bob").headers().firstValue("X-Hishel-From-Cache"))
                .hasValue("true");
    }

    @Test
    @Rfc("RFC 9111 §7.3")
    void cookiesSetPastTheCacheCountAsTheAnswersOwnAndAreSentOnce() throws Exception {
        AtomicInteger visits = new AtomicInteger();
        Filter tracker = (request, response, chain) -> {
            ((HttpServletResponse) response).addCookie(new Cookie("tracker", Integer.toString(visits.incrementAndGet())));
            chain.doFilter(request, response);
        };
        start(tracker, UnaryOperator.identity()).route("/page", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            response.getWriter().write("page");
        });

        HttpResponse<String> first = server.get("/page");
        HttpResponse<String> second = server.get("/page");

        assertThat(first.headers().allValues("Set-Cookie")).containsExactly("tracker=1");
        assertThat(first.headers().firstValue("Cache-Status").orElseThrow()).contains("detail=set-cookie");
        assertThat(second.headers().allValues("Set-Cookie")).containsExactly("tracker=2");
        assertThat(stored("/page")).isEmpty();
    }

    @Test
    @Rfc("RFC 9111 §7.3")
    void anAnswerThatCreatedASessionIsNotStoredEvenWhenTheSessionHasNoCookie() throws Exception {
        start().route("/cart", (request, response) -> {
            request.getSession(true).setAttribute("cart", "empty");
            response.setHeader("Cache-Control", "max-age=60");
            // As with URL rewriting: the session travels in the page, not in a cookie.
            response.getWriter().write("<a href=\"" + response.encodeURL("/checkout") + "\">checkout</a>");
        });

        HttpResponse<String> first = server.get("/cart");
        HttpResponse<String> second = server.get("/cart");

        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(second.body()).isNotEqualTo(first.body());
        assertThat(stored("/cart")).isEmpty();
    }

    @Test
    @Rfc("RFC 9111 §7.3")
    void anAnswerThatRenderedASessionsCsrfTokenIsNotStoredEvenAfterItsFirstBytesWentOut() throws Exception {
        Filter csrf = (request, response, chain) -> {
            request.setAttribute("_csrf", "token-of-" + ((HttpServletRequest) request).getHeader("X-Session"));
            chain.doFilter(request, response);
        };
        start(csrf, UnaryOperator.identity()).route("/form", (request, response) -> {
            response.setHeader("Cache-Control", "max-age=60");
            var out = response.getWriter();
            out.write("x".repeat(20_000));
            out.flush();
            out.write("<input name=\"_csrf\" value=\"" + request.getAttribute("_csrf") + "\">");
        });

        server.get("/form", "X-Session", "alice");
        HttpResponse<String> bob = server.get("/form", "X-Session", "bob");

        assertThat(bob.body()).endsWith("token-of-bob\">");
        assertThat(stored("/form")).isEmpty();
    }
}
