package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.spec.DirectiveCases;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated combinations of directives of the engine's {@code DirectiveCombinationsTest}, over
 * real HTTP with two clients: client A asks first and the application answers with a body that
 * names A; then client B asks. B receives A's body only where the directives let a shared cache
 * share the response as it is; otherwise B gets an answer of its own.
 */
@Rfc({"RFC 9111 §5.2", "RFC 9111 §5.2.2.7", "RFC 9111 §5.2.2.5", "RFC 9111 §3.5", "RFC 9213 §2.1"})
class DirectiveCombinationsOverHttpTest extends FilterTestSupport {

    @Test
    void noClientEverReceivesAnotherClientsResponseUnlessItsDirectivesAllowIt() throws Exception {
        List<DirectiveCases.Case> cases = DirectiveCases.all();
        start();
        for (int i = 0; i < cases.size(); i++) {
            DirectiveCases.Case directiveCase = cases.get(i);
            server.route("/case/" + i, (request, response) -> {
                for (String[] field : directiveCase.responseFields()) {
                    response.addHeader(field[0], field[1]);
                }
                response.getWriter().write("for " + request.getHeader("X-Client"));
            });
        }

        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            DirectiveCases.Case directiveCase = cases.get(i);
            send("/case/" + i, "alice", directiveCase.firstRequestArray());
            HttpResponse<String> bob = send("/case/" + i, "bob", directiveCase.secondRequestArray());
            String expected = directiveCase.expect() == DirectiveCases.Expect.SHARED ? "for alice" : "for bob";
            if (!bob.body().equals(expected)) {
                wrong.add(directiveCase + ": bob got \"" + bob.body() + "\", " + bob.headers().firstValue("Cache-Status"));
            }
        }

        assertThat(wrong).as("cases where the second client received the wrong answer").isEmpty();
        assertThat(cases).hasSizeGreaterThan(400);
    }

    private HttpResponse<String> send(String path, String client, String... fields) throws Exception {
        HttpRequest.Builder request = server.request(path).header("X-Client", client).GET();
        if (fields.length > 0) {
            request.headers(fields);
        }
        return server.send(request.build());
    }
}
