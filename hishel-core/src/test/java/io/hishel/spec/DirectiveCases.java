package io.hishel.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Generated combinations of cache directives as they reach a cache: each directive repeated, in
 * qualified and unqualified forms in either order, in one field line or several, in mixed case,
 * with and without a value, with conflicting values, malformed — each with what a shared cache
 * must make of it. Shared by the engine's tests and the filter's, which read the same cases over
 * real HTTP.
 */
public final class DirectiveCases {

    /** What a second client may receive after a first one's request stored the response. */
    public enum Expect {
        /** The first client's response answers the second: it may be shared and is fresh. */
        SHARED,
        /** The second client gets an answer of its own: the response must not reach it as it is. */
        NOT_SHARED
    }

    /**
     * One combination.
     *
     * @param name           a readable name for the test report
     * @param responseFields the response's header fields, as name and value pairs, one line each
     * @param firstRequest   the first client's header fields (its Authorization, say)
     * @param secondRequest  the second client's header fields (its request directives, say)
     * @param expect         what the second client may receive
     */
    public record Case(String name, List<String[]> responseFields, List<String[]> firstRequest,
                       List<String[]> secondRequest, Expect expect) {
        @Override
        public String toString() {
            return name;
        }

        /** The response fields as a flat name, value, name, value … array. */
        public String[] responseFieldArray() {
            return flat(responseFields);
        }

        /** The first client's request fields as a flat array. */
        public String[] firstRequestArray() {
            return flat(firstRequest);
        }

        /** The second client's request fields as a flat array. */
        public String[] secondRequestArray() {
            return flat(secondRequest);
        }

        private static String[] flat(List<String[]> fields) {
            List<String> flat = new ArrayList<>();
            for (String[] field : fields) {
                flat.add(field[0]);
                flat.add(field[1]);
            }
            return flat.toArray(String[]::new);
        }
    }

    private DirectiveCases() {
    }

    /** Every combination, for the engine and the filter alike. */
    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        // private: unqualified anywhere means nobody else may have it (RFC 9111 §5.2.2.7).
        List<String> unqualifiedPrivate = List.of("private", "PRIVATE", "Private", "private=\"\"", "private=\"X-Id",
                "private=\",\"");
        List<String> qualifiedPrivate = List.of("private=\"X-Id\"", "private=X-Id", "Private=\"X-Id, X-Other\"");
        pairs(cases, "private", unqualifiedPrivate, qualifiedPrivate, Expect.NOT_SHARED, "max-age=600");
        pairs(cases, "private", unqualifiedPrivate, unqualifiedPrivate, Expect.NOT_SHARED, "max-age=600");
        pairs(cases, "private", qualifiedPrivate, qualifiedPrivate, Expect.SHARED, "max-age=600");
        // no-store: any occurrence, any spelling, with or without a value (§5.2.2.5).
        List<String> noStore = List.of("no-store", "NO-STORE", "No-Store", "no-store=\"x\"", "no-store=1", "no-store=");
        for (String directive : noStore) {
            spread(cases, "no-store", List.of("public", "max-age=600", directive), Expect.NOT_SHARED);
            spread(cases, "no-store", List.of(directive, "max-age=600, public"), Expect.NOT_SHARED);
        }
        // must-understand lifts no-store only when it is spelled as defined (§5.2.2.3).
        spread(cases, "must-understand", List.of("no-store", "must-understand=1", "max-age=600"), Expect.NOT_SHARED);
        spread(cases, "must-understand", List.of("no-store", "must-understand", "max-age=600"), Expect.SHARED);
        // no-cache unqualified anywhere: every reuse needs validation, so nothing is served as it is.
        List<String> unqualifiedNoCache = List.of("no-cache", "NO-CACHE", "no-cache=\"\"", "no-cache=\"X-Id");
        List<String> qualifiedNoCache = List.of("no-cache=\"X-Id\"", "no-cache=X-Id");
        pairs(cases, "no-cache", unqualifiedNoCache, qualifiedNoCache, Expect.NOT_SHARED, "max-age=600");
        pairs(cases, "no-cache", qualifiedNoCache, qualifiedNoCache, Expect.SHARED, "max-age=600");
        // Freshness directives that disagree, or are invalid, make the response stale (§4.2.1).
        List<String> freshness = List.of("max-age", "s-maxage", "MAX-AGE", "S-MaxAge");
        for (String directive : freshness) {
            spread(cases, "duplicate " + directive, List.of(directive + "=600", directive + "=6000"), Expect.NOT_SHARED);
            spread(cases, "duplicate " + directive, List.of(directive + "=600", directive + "=abc"), Expect.NOT_SHARED);
            spread(cases, "duplicate " + directive, List.of(directive + "=600", directive), Expect.NOT_SHARED);
            spread(cases, "duplicate " + directive, List.of(directive + "=600", directive + "=\"600\""),
                    Expect.SHARED);
        }
        spread(cases, "duplicate max-age", List.of("max-age=600", "s-maxage=600, s-maxage=1"), Expect.NOT_SHARED);
        // An authorised request's answer is shared only with a directive spelled as defined (§3.5).
        List<String[]> authorised = List.<String[]>of(new String[] {"Authorization", "Bearer alice"});
        cases.add(authorisedCase("public=x", "public=x, max-age=600", authorised, Expect.NOT_SHARED));
        cases.add(authorisedCase("s-maxage=abc", "s-maxage=abc, max-age=600", authorised, Expect.NOT_SHARED));
        cases.add(authorisedCase("must-revalidate=1", "must-revalidate=1, max-age=600", authorised, Expect.NOT_SHARED));
        cases.add(authorisedCase("public twice", "public, max-age=600, PUBLIC", authorised, Expect.SHARED));
        cases.add(authorisedCase("private beside public", "public, max-age=600, private", authorised,
                Expect.NOT_SHARED));
        // Request directives: the client's strictest wish counts (§5.2.1).
        cases.add(requestCase("request max-age 600 then 0", "max-age=600, max-age=0", Expect.NOT_SHARED));
        cases.add(requestCase("request max-age 0 then 600", "max-age=0, max-age=600", Expect.NOT_SHARED));
        cases.add(requestCase("request MAX-AGE lines", "MAX-AGE=600", "max-age=0", Expect.NOT_SHARED));
        cases.add(requestCase("request min-fresh 0 then 6000", "min-fresh=0, min-fresh=6000", Expect.NOT_SHARED));
        cases.add(requestCase("request no-cache beside max-age", "max-age=600, No-Cache", Expect.NOT_SHARED));
        // §5.2.1.5: a request's no-store keeps its own response out, not a stored one.
        cases.add(requestCase("request no-store=1 does not refuse a stored response", "no-store=1", Expect.SHARED));
        cases.add(requestCase("request max-age agrees", "max-age=600, max-age=600", Expect.SHARED));
        // Targeted fields (RFC 9213): every member counts, not only the last of a key.
        cases.add(targetedCase("targeted private then qualified", "private, private=\"X-Id\", max-age=600",
                Expect.NOT_SHARED));
        cases.add(targetedCase("targeted qualified then private", "private=\"X-Id\", max-age=600, private",
                Expect.NOT_SHARED));
        // A Boolean false no-store is of the wrong type: the whole field is ignored (RFC 9213 §2.1), and
        // Cache-Control, which allows sharing, applies.
        cases.add(targetedCase("targeted no-store then false", "no-store, no-store=?0, max-age=600", Expect.SHARED));
        cases.add(targetedCase("targeted no-store then mistyped max-age", "no-store, max-age=1.5", Expect.SHARED));
        cases.add(targetedCase("targeted max-age disagrees", "max-age=600, max-age=6000", Expect.NOT_SHARED));
        cases.add(targetedCase("targeted no-store false", "no-store=?0, max-age=600", Expect.SHARED));
        return cases;
    }

    /** Each of {@code first} with each of {@code second}, in both orders, in one line and in two. */
    private static void pairs(List<Case> cases, String directive, List<String> first, List<String> second,
                              Expect expect, String freshness) {
        for (String a : first) {
            for (String b : second) {
                spread(cases, directive, List.of(a, b, freshness), expect);
                spread(cases, directive, List.of(b, a, freshness), expect);
            }
        }
    }

    /** The members in one line, in a line each, and with the first lines' names in another case. */
    private static void spread(List<Case> cases, String directive, List<String> members, Expect expect) {
        // An unterminated quoted string swallows what follows it on its line: a different value, not this case.
        boolean joinable = members.subList(0, members.size() - 1).stream()
                .allMatch(member -> member.chars().filter(c -> c == '"').count() % 2 == 0);
        if (joinable) {
            cases.add(responseCase(directive + ": " + String.join(", ", members), List.of(String.join(", ", members)),
                    expect));
        }
        cases.add(responseCase(directive + ": " + String.join(" | ", members), members, expect));
        UnaryOperator<String> upper = member -> {
            int equals = member.indexOf('=');
            return equals < 0 ? member.toUpperCase(Locale.ROOT)
                    : member.substring(0, equals).toUpperCase(Locale.ROOT) + member.substring(equals);
        };
        cases.add(responseCase(directive + ": upper case " + String.join(", ", members),
                members.stream().map(upper).toList(), expect));
    }

    private static Case responseCase(String name, List<String> cacheControlLines, Expect expect) {
        List<String[]> fields = new ArrayList<>();
        for (String line : cacheControlLines) {
            fields.add(new String[] {"Cache-Control", line});
        }
        fields.add(new String[] {"ETag", "\"v1\""});
        return new Case(name, fields, List.of(), List.of(), expect);
    }

    private static Case authorisedCase(String name, String cacheControl, List<String[]> request, Expect expect) {
        List<String[]> fields = List.<String[]>of(new String[] {"Cache-Control", cacheControl});
        return new Case("authorised: " + name, fields, request, List.of(), expect);
    }

    private static Case requestCase(String name, String requestCacheControl, Expect expect) {
        return requestCase(name, List.of(requestCacheControl), expect);
    }

    private static Case requestCase(String name, String firstLine, String secondLine, Expect expect) {
        return requestCase(name, List.of(firstLine, secondLine), expect);
    }

    private static Case requestCase(String name, List<String> requestLines, Expect expect) {
        List<String[]> request = new ArrayList<>();
        for (String line : requestLines) {
            request.add(new String[] {"Cache-Control", line});
        }
        // Stored a few seconds ago, fresh for ten minutes: only the request's directives can stand in the way.
        List<String[]> response = List.<String[]>of(new String[] {"Cache-Control", "max-age=600"},
                new String[] {"Age", "5"});
        return new Case(name, response, List.of(), request, expect);
    }

    private static Case targetedCase(String name, String field, Expect expect) {
        List<String[]> fields = List.<String[]>of(new String[] {"CDN-Cache-Control", field},
                new String[] {"Cache-Control", "max-age=600"});
        return new Case(name, fields, List.of(), List.of(), expect);
    }
}
