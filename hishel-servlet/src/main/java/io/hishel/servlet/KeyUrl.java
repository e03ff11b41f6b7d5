package io.hishel.servlet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the filter turns the URL a request arrived at into the URL it looks up, stores and
 * invalidates under: by default as received, and with this, under a canonical host, without
 * tracking parameters, or with the query's parameters sorted. The application still receives the
 * request as it arrived; only the cache's key changes.
 *
 * <pre>{@code
 * KeyUrl key = KeyUrl.builder()
 *         .canonicalOrigin(URI.create("https://shop.example"), List.of("shop.internal:8080"))
 *         .ignoreQueryParameters(List.of("utm_*", "gclid", "fbclid"))
 *         .sortQueryParameters(true)
 *         .build();
 * }</pre>
 *
 * <p>Each of these makes requests that differ share one entry, and so lets one of them choose what
 * all are served: see the documentation's page on the cache key for the poisoning it opens when the
 * application's answer does depend on the host or on a parameter left out.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyUrl {

    private static final KeyUrl AS_RECEIVED = new KeyUrl(null, Set.of(), List.of(), Set.of(), false);

    private final URI canonicalOrigin;
    private final Set<String> aliases;
    private final List<String> ignoredPrefixes;
    private final Set<String> ignoredNames;
    private final boolean sortQuery;

    private KeyUrl(URI canonicalOrigin, Set<String> aliases, List<String> ignoredPrefixes, Set<String> ignoredNames,
                   boolean sortQuery) {
        this.canonicalOrigin = canonicalOrigin;
        this.aliases = aliases;
        this.ignoredPrefixes = ignoredPrefixes;
        this.ignoredNames = ignoredNames;
        this.sortQuery = sortQuery;
    }

    /**
     * The URL as received: the default.
     *
     * @return the identity
     */
    public static KeyUrl asReceived() {
        return AS_RECEIVED;
    }

    /**
     * Starts building.
     *
     * @return a builder that changes nothing until told
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The URL the cache keys a request under.
     *
     * @param url the absolute URL the request arrived at
     * @return the same URL, or one with the canonical origin and the query as configured
     */
    public URI apply(URI url) {
        if (this == AS_RECEIVED) {
            return url;
        }
        boolean rehost = canonicalOrigin != null && isAlias(url);
        String query = url.getRawQuery();
        String keyedQuery = query == null ? null : query(query);
        if (!rehost && Objects.equals(query, keyedQuery)) {
            return url;
        }
        URI origin = rehost ? canonicalOrigin : url;
        StringBuilder text = new StringBuilder(origin.getScheme()).append("://").append(origin.getRawAuthority());
        text.append(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
        if (keyedQuery != null && !keyedQuery.isEmpty()) {
            text.append('?').append(keyedQuery);
        }
        try {
            return new URI(text.toString());
        } catch (URISyntaxException e) {
            // Made of the parts of two valid URIs; should it fail, the URL as received is still a key.
            return url;
        }
    }

    /**
     * The canonical origin, to resolve paths against where there is no request.
     *
     * @return the origin, such as {@code https://shop.example}, or empty if none is set
     */
    public Optional<URI> canonicalOrigin() {
        return Optional.ofNullable(canonicalOrigin);
    }

    /**
     * This key's settings with more parameters left out and, if given, another choice of sorting:
     * what a route adds to the application's settings.
     *
     * @param ignoredParameters more names or {@code prefix*} patterns to leave out
     * @param sort              whether to sort, or null to keep this one's choice
     * @return the combined settings
     */
    public KeyUrl with(Collection<String> ignoredParameters, Boolean sort) {
        Builder builder = new Builder();
        builder.canonicalOrigin = canonicalOrigin;
        builder.aliases = aliases;
        builder.ignored.addAll(ignoredPrefixes.stream().map(prefix -> prefix + "*").toList());
        builder.ignored.addAll(ignoredNames);
        builder.ignoreQueryParameters(ignoredParameters);
        builder.sortQueryParameters(sort != null ? sort : sortQuery);
        return builder.build();
    }

    private boolean isAlias(URI url) {
        if (aliases.isEmpty()) {
            return true;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        return aliases.contains(host) || url.getPort() >= 0 && aliases.contains(host + ":" + url.getPort());
    }

    private String query(String query) {
        if (ignoredNames.isEmpty() && ignoredPrefixes.isEmpty() && !sortQuery) {
            return query;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : query.split("&", -1)) {
            if (!parameter.isEmpty() && !isIgnored(name(parameter))) {
                kept.add(parameter);
            }
        }
        if (sortQuery) {
            // By name only, and stable: the order of one parameter's values can matter (a=2&a=1).
            kept.sort(Comparator.comparing(KeyUrl::name));
        }
        return String.join("&", kept);
    }

    private boolean isIgnored(String name) {
        if (ignoredNames.contains(name)) {
            return true;
        }
        for (String prefix : ignoredPrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String name(String parameter) {
        int equals = parameter.indexOf('=');
        return equals < 0 ? parameter : parameter.substring(0, equals);
    }

    /** Builds a {@link KeyUrl}. Not thread-safe. */
    public static final class Builder {

        private URI canonicalOrigin;
        private Set<String> aliases = Set.of();
        private final List<String> ignored = new ArrayList<>();
        private boolean sort;

        private Builder() {
        }

        /**
         * Keys requests to other host names under one origin, so that an application reached under
         * an internal and a public name keeps one entry per page, and a write through either name
         * invalidates it for both.
         *
         * @param origin  scheme, host and port only, such as {@code https://shop.example}
         * @param aliases the {@code host} or {@code host:port} names whose requests are keyed under
         *                it; empty for every host, whatever the request's {@code Host} says
         * @return this builder
         * @throws IllegalArgumentException if the origin has a path, query or user, or is not absolute
         */
        public Builder canonicalOrigin(URI origin, Collection<String> aliases) {
            Objects.requireNonNull(origin, "origin");
            if (!origin.isAbsolute() || origin.getHost() == null || origin.getRawUserInfo() != null
                    || origin.getRawQuery() != null || origin.getRawFragment() != null
                    || origin.getRawPath() != null && !origin.getRawPath().isEmpty() && !origin.getRawPath().equals("/")) {
                throw new IllegalArgumentException("The canonical origin must be a scheme and host, with a port if"
                        + " needed, such as https://shop.example, but was " + origin);
            }
            for (String alias : aliases) {
                if (alias == null || alias.isBlank() || alias.contains("/")) {
                    throw new IllegalArgumentException("A host alias is a host name, with a port if needed, such as"
                            + " shop.internal:8080, but was '" + alias + "'");
                }
            }
            this.canonicalOrigin = URI.create(origin.getScheme().toLowerCase(Locale.ROOT) + "://"
                    + origin.getRawAuthority().toLowerCase(Locale.ROOT));
            this.aliases = aliases.stream().map(alias -> alias.trim().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
            return this;
        }

        /**
         * Leaves query parameters out of the key: exact names ({@code gclid}) or prefixes ending in
         * {@code *} ({@code utm_*}). Names are compared as they appear in the URL, case-sensitively.
         *
         * @param names names or patterns
         * @return this builder
         * @throws IllegalArgumentException if one is empty, or has {@code *} other than at its end
         */
        public Builder ignoreQueryParameters(Collection<String> names) {
            for (String name : names) {
                if (name == null || name.isBlank() || name.equals("*") || name.indexOf('*') >= 0
                        && name.indexOf('*') != name.length() - 1) {
                    throw new IllegalArgumentException("A query parameter to ignore is a name such as gclid, or a"
                            + " prefix ending in *, such as utm_*, but was '" + name + "'");
                }
                ignored.add(name.trim());
            }
            return this;
        }

        /**
         * Sorts the query's parameters by name, so that {@code ?b=2&a=1} and {@code ?a=1&b=2} share
         * an entry. Values of one name keep their order.
         *
         * @param sort whether to sort
         * @return this builder
         */
        public Builder sortQueryParameters(boolean sort) {
            this.sort = sort;
            return this;
        }

        /**
         * Builds the key settings.
         *
         * @return the settings; {@link #asReceived()} when nothing was set
         */
        public KeyUrl build() {
            if (canonicalOrigin == null && ignored.isEmpty() && !sort) {
                return AS_RECEIVED;
            }
            List<String> prefixes = ignored.stream().filter(name -> name.endsWith("*"))
                    .map(name -> name.substring(0, name.length() - 1)).distinct().toList();
            Set<String> names = ignored.stream().filter(name -> !name.endsWith("*"))
                    .collect(Collectors.toUnmodifiableSet());
            return new KeyUrl(canonicalOrigin, aliases, prefixes, names, sort);
        }
    }
}
