package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Directives set before the status was known are withdrawn from answers with other statuses. */
class StatusScopedDirectivesTest extends FilterTestSupport {

    /** As an annotation's interceptor does: the field and the record, before the handler decides the status. */
    private static void scoped(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Cache-Control", "max-age=60");
        request.setAttribute(StatusScopedDirectives.ATTRIBUTE,
                new StatusScopedDirectives("Cache-Control", "max-age=60", Set.of(200, 404)));
    }

    @Test
    void anAnswerWithAnotherStatusLosesTheDirectivesAndIsNotStored() throws Exception {
        start().route("/down", (request, response) -> {
            scoped(request, response);
            response.setStatus(503);
            response.getWriter().write("down");
        }).route("/gone", (request, response) -> {
            scoped(request, response);
            response.sendError(502);
        }).route("/missing", (request, response) -> {
            scoped(request, response);
            response.setStatus(404);
            response.getWriter().write("missing");
        });

        HttpResponse<String> down = server.get("/down");
        HttpResponse<String> gone = server.get("/gone");
        server.get("/missing");
        HttpResponse<String> missingAgain = server.get("/missing");

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(gone.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(stored("/down")).isEmpty();
        assertThat(missingAgain.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(missingAgain.headers().firstValue("X-Hishel-From-Cache")).hasValue("true");
    }

    @Test
    void aHandlerThatChoseItsOwnValueKeepsIt() throws Exception {
        start().route("/own", (request, response) -> {
            scoped(request, response);
            response.setHeader("Cache-Control", "max-age=5");
            response.setStatus(503);
        });

        assertThat(server.get("/own").headers().firstValue("Cache-Control")).hasValue("max-age=5");
    }

    @Test
    void aPassedThroughAnswerLosesThemToo() throws Exception {
        start(builder -> builder.exclude(request -> true)).route("/excluded", (request, response) -> {
            scoped(request, response);
            response.setStatus(503);
            response.getWriter().write("down");
        }).route("/excluded-ok", (request, response) -> {
            scoped(request, response);
            response.getWriter().write("fine");
        });

        assertThat(server.get("/excluded").headers().firstValue("Cache-Control")).isEmpty();
        assertThat(server.get("/excluded-ok").headers().firstValue("Cache-Control")).hasValue("max-age=60");
    }
}
