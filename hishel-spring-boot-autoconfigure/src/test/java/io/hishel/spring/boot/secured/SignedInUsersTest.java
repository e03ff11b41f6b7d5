package io.hishel.spring.boot.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.servlet.HishelCacheFilter;
import io.hishel.spring.boot.HttpCache;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application with Spring Security's form login (a session cookie), HTTP Basic and
 * CSRF protection, as users build one: a signed-in user's page never reaches another user or an
 * anonymous visitor (RFC 9111 §3.5), and a page that created a session or rendered its CSRF token
 * is never stored, so every visitor's form post still works.
 */
@SpringBootTest(classes = SignedInUsersTest.SignedInApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"hishel.storage.type=memory", "hishel.filter.metadata-headers=true"})
class SignedInUsersTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    HishelCacheFilter filter;

    @BeforeEach
    void purge() {
        filter.storage().purgeAll();
    }

    /** One browser: its own cookie jar, redirects not followed. */
    private final class Browser {
        final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(String path, String... headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
            if (headers.length > 0) {
                request.headers(headers);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String path, String form) throws Exception {
            return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Spring Security's own login page and form, as a person would use them. */
        Browser signIn(String user) throws Exception {
            String token = csrfToken(get("/login").body());
            HttpResponse<String> login = postForm("/login", "username=" + user + "&password=secret&_csrf="
                    + URLEncoder.encode(token, StandardCharsets.UTF_8));
            assertThat(login.statusCode()).as("login of " + user).isEqualTo(302);
            assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
            return this;
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String csrfToken(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token in " + page).isTrue();
        return matcher.group(1);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPageAnsweredToASignedInUserIsServedNeitherToAnotherUserNorToAnAnonymousVisitor() throws Exception {
        Browser alice = new Browser().signIn("alice");
        Browser bob = new Browser().signIn("bob");
        Browser anonymous = new Browser();

        HttpResponse<String> alicesPage = alice.get("/home");
        HttpResponse<String> bobsPage = bob.get("/home");
        HttpResponse<String> anonymousPage = anonymous.get("/home");
        HttpResponse<String> anonymousAgain = anonymous.get("/home");
        HttpResponse<String> alicesAgain = alice.get("/home");

        assertThat(alicesPage.body()).startsWith("Signed in as alice");
        assertThat(alicesPage.headers().firstValue("Cache-Status").orElseThrow())
                .contains("detail=authorization-in-shared-cache");
        assertThat(bobsPage.body()).startsWith("Signed in as bob");
        assertThat(anonymousPage.body()).startsWith("Signed in as nobody");
        assertThat(alicesAgain.body()).startsWith("Signed in as alice");
        // Anonymous pages are still shared: the cache keeps working for everyone else.
        assertThat(anonymousAgain.body()).isEqualTo(anonymousPage.body());
        assertThat(anonymousAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void withHttpBasicASignedInUsersPageIsNotSharedEither() throws Exception {
        Browser anyone = new Browser();

        HttpResponse<String> alicesPage = anyone.get("/home", "Authorization", basic("alice"));
        HttpResponse<String> bobsPage = anyone.get("/home", "Authorization", basic("bob"));
        HttpResponse<String> anonymousPage = new Browser().get("/home");

        assertThat(alicesPage.body()).startsWith("Signed in as alice");
        assertThat(bobsPage.body()).startsWith("Signed in as bob");
        assertThat(anonymousPage.body()).startsWith("Signed in as nobody");
    }

    @Test
    void aPublicPageIsSharedBetweenSignedInUsersBecauseTheApplicationSaysSo() throws Exception {
        Browser alice = new Browser().signIn("alice");
        Browser bob = new Browser().signIn("bob");

        HttpResponse<String> first = alice.get("/news");
        HttpResponse<String> second = bob.get("/news");

        assertThat(second.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    void aPageThatRendersTheCsrfTokenIsNeverStoredSoEveryVisitorsFormPostWorks() throws Exception {
        Browser first = new Browser();
        Browser second = new Browser();
        Browser third = new Browser();

        HttpResponse<String> firstForm = first.get("/form");
        HttpResponse<String> firstFormAgain = first.get("/form");
        HttpResponse<String> secondForm = second.get("/form");
        HttpResponse<String> thirdForm = third.get("/form");

        // Rendering the token created the first visitor's session; its cookie came from the container.
        assertThat(firstForm.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        assertThat(firstForm.headers().firstValue("X-Hishel-Stored")).hasValue("false");
        // The second answer to the first visitor rendered a token of an existing session, without a cookie.
        assertThat(firstFormAgain.headers().allValues("Set-Cookie")).isEmpty();
        for (HttpResponse<String> form : java.util.List.of(secondForm, thirdForm)) {
            assertThat(form.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
            assertThat(form.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        }
        HttpResponse<String> post = second.postForm("/comments", "text=hello&_csrf="
                + URLEncoder.encode(csrfToken(secondForm.body()), StandardCharsets.UTF_8));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("posted hello");
        HttpResponse<String> thirdPost = third.postForm("/comments", "text=hi&_csrf="
                + URLEncoder.encode(csrfToken(thirdForm.body()), StandardCharsets.UTF_8));
        assertThat(thirdPost.statusCode()).isEqualTo(200);
    }

    @Test
    void aResponseThatCreatedASessionOrThatAFilterSetACookieOnIsNotStored() throws Exception {
        HttpResponse<String> firstVisit = new Browser().get("/visit");
        HttpResponse<String> secondVisit = new Browser().get("/visit");
        HttpResponse<String> firstTracked = new Browser().get("/tracked");
        HttpResponse<String> secondTracked = new Browser().get("/tracked");

        assertThat(firstVisit.headers().allValues("Set-Cookie")).anyMatch(cookie -> cookie.startsWith("JSESSIONID="));
        assertThat(secondVisit.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(secondVisit.body()).isNotEqualTo(firstVisit.body());
        assertThat(firstTracked.headers().allValues("Set-Cookie")).containsExactly("tracker=1");
        assertThat(secondTracked.headers().firstValue("X-Hishel-From-Cache")).hasValue("false");
        assertThat(secondTracked.headers().allValues("Set-Cookie")).containsExactly("tracker=2");
    }

    @SpringBootApplication(excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
    static class SignedInApplication {

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            AtomicInteger trackers = new AtomicInteger();
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/account/**").authenticated()
                            .anyRequest().permitAll())
                    .formLogin(Customizer.withDefaults())
                    .httpBasic(Customizer.withDefaults())
                    // A filter of the security chain that sets a cookie on the container's response, past the cache.
                    .addFilterAfter((request, response, chain) -> {
                        if (((HttpServletRequest) request).getRequestURI().equals("/tracked")) {
                            ((HttpServletResponse) response).addCookie(new Cookie("tracker",
                                    Integer.toString(trackers.incrementAndGet())));
                        }
                        chain.doFilter(request, response);
                    }, org.springframework.security.web.access.intercept.AuthorizationFilter.class)
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice").password("{noop}secret").roles("MEMBER").build(),
                    User.withUsername("bob").password("{noop}secret").roles("MEMBER").build());
        }

        @RestController
        static class Pages {
            private final AtomicInteger calls = new AtomicInteger();

            @GetMapping("/home")
            @HttpCache(maxAge = "60s")
            String home(Principal user) {
                return "Signed in as " + (user == null ? "nobody" : user.getName()) + " #" + calls.incrementAndGet();
            }

            @GetMapping("/news")
            @HttpCache(maxAge = "60s", visibility = HttpCache.Visibility.PUBLIC)
            String news() {
                return "the news #" + calls.incrementAndGet();
            }

            @GetMapping(path = "/form", produces = "text/html")
            @HttpCache(maxAge = "60s")
            String form(CsrfToken csrf) {
                return "<form method=\"post\" action=\"/comments\"><input type=\"hidden\" name=\"_csrf\" value=\""
                        + csrf.getToken() + "\"><input name=\"text\"></form> #" + calls.incrementAndGet();
            }

            @PostMapping("/comments")
            String comment(jakarta.servlet.http.HttpServletRequest request) {
                return "posted " + request.getParameter("text");
            }

            @GetMapping("/visit")
            @HttpCache(maxAge = "60s")
            String visit(HttpServletRequest request) {
                request.getSession(true).setAttribute("visited", Boolean.TRUE);
                return "welcome, visitor #" + calls.incrementAndGet();
            }

            @GetMapping("/tracked")
            @HttpCache(maxAge = "60s")
            String tracked() {
                return "tracked #" + calls.incrementAndGet();
            }
        }
    }
}
