package io.hishel.spring.boot;

import io.hishel.policy.CacheOptions;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * The {@code hishel.*} properties. Every default matches the programmatic API's, so that an
 * application that sets nothing gets the cache {@code HishelCacheFilter.builder(storage).build()}
 * builds on a SQLite file, except three that are safer for an application deployed again and
 * again: heuristic freshness is off, the {@code X-Hishel-*} response fields are off, and entries
 * belong to the build that wrote them.
 */
// Unknown keys fail the start-up, reported by Spring Boot with the file and line of each: a typo
// such as hishel.storage.defualt-ttl would otherwise leave a default in force without a word.
@ConfigurationProperties(prefix = "hishel", ignoreUnknownFields = false)
public class HishelProperties {

    /** Whether the cache is installed; false leaves the application exactly as it was without hishel. */
    private boolean enabled = true;

    /** Where RFC 9111 leaves the choice open: what may be stored and reused. */
    private final Options options = new Options();

    /** Where entries are kept. */
    private final Storage storage = new Storage();

    /** How the servlet filter is registered and what it adds to responses. */
    private final Filter filter = new Filter();

    /** How request URLs become cache keys: a canonical host, query parameters left out or sorted. */
    private final Key key = new Key();

    /**
     * Per-route settings: for each request, the first enabled rule whose pattern and methods match
     * supplies TTL, spec-ignore, body key, TTL refresh and tags, unless the application set them
     * itself. A matching rule with {@code enabled: false} takes the route out of the cache.
     */
    private List<Rule> rules = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Options getOptions() {
        return options;
    }

    public Storage getStorage() {
        return storage;
    }

    public Key getKey() {
        return key;
    }

    public Filter getFilter() {
        return filter;
    }

    public List<Rule> getRules() {
        return rules;
    }

    public void setRules(List<Rule> rules) {
        this.rules = rules;
    }

    /** The choices of {@code CacheOptions}. */
    public static class Options {

        /**
         * Whether the cache is shared (RFC 9111 §1): it honours s-maxage and private, and never
         * stores answers to authorised requests. A server-side cache serves many users: keep true.
         */
        private boolean shared = true;

        /**
         * Request methods whose responses may be stored and reused. Listing POST declares POST
         * requests to be queries, keyed by their body (see the rules' body-key).
         */
        private List<String> supportedMethods = new ArrayList<>(List.of("GET", "HEAD"));

        /**
         * How long past its freshness a stored response may still be served when the application
         * fails (a 5xx, an exception), where no directive forbids it. 0 serves stale responses only
         * where stale-if-error, stale-while-revalidate or a client's max-stale allows.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration allowStale = Duration.ZERO;

        /**
         * How long past its freshness a stored response may stand in while the application cannot
         * be reached (it throws before answering, or answers 502 or 504), where no directive
         * forbids it; 0 turns it off.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration grace = CacheOptions.DEFAULT_GRACE;

        /**
         * Fraction of the time since Last-Modified used as freshness lifetime for responses
         * without explicit freshness (RFC 9111 §4.2.2), from 0 to 1. 0, the default, turns heuristic
         * freshness off: static resources are stored only when they say so, for example through
         * spring.web.resources.cache.cachecontrol.max-age.
         */
        private double heuristicFraction = 0;

        /** Upper bound of a heuristic freshness lifetime. */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration heuristicMaxLifetime = Duration.ofDays(1);

        /**
         * Whether clients' request directives (no-cache, max-age, only-if-cached, Pragma) are
         * honoured. Turn off so clients cannot make every request reach the application.
         */
        private boolean honorRequestDirectives = true;

        /**
         * Whether responses that set cookies may be stored (RFC 9111 §7.3). Unset, they are stored
         * only when the cache is not shared, as CacheOptions decides. Leave off in a shared cache.
         */
        private Boolean storeSetCookie;

        /** Largest body one entry may hold; larger responses stream through unstored. */
        private DataSize maxEntrySize = DataSize.ofMegabytes(10);

        /**
         * Targeted cache-control fields (RFC 9213) this cache obeys, most specific first. They
         * replace Cache-Control for this cache and are removed before the response leaves.
         */
        private List<String> targetedFields = new ArrayList<>(List.of("Hishel-Cache-Control", "CDN-Cache-Control"));

        public boolean isShared() {
            return shared;
        }

        public void setShared(boolean shared) {
            this.shared = shared;
        }

        public List<String> getSupportedMethods() {
            return supportedMethods;
        }

        public void setSupportedMethods(List<String> supportedMethods) {
            this.supportedMethods = supportedMethods;
        }

        public Duration getGrace() {
            return grace;
        }

        public void setGrace(Duration grace) {
            this.grace = grace;
        }

        public Duration getAllowStale() {
            return allowStale;
        }

        public void setAllowStale(Duration allowStale) {
            this.allowStale = allowStale;
        }

        public double getHeuristicFraction() {
            return heuristicFraction;
        }

        public void setHeuristicFraction(double heuristicFraction) {
            this.heuristicFraction = heuristicFraction;
        }

        public Duration getHeuristicMaxLifetime() {
            return heuristicMaxLifetime;
        }

        public void setHeuristicMaxLifetime(Duration heuristicMaxLifetime) {
            this.heuristicMaxLifetime = heuristicMaxLifetime;
        }

        public boolean isHonorRequestDirectives() {
            return honorRequestDirectives;
        }

        public void setHonorRequestDirectives(boolean honorRequestDirectives) {
            this.honorRequestDirectives = honorRequestDirectives;
        }

        public Boolean getStoreSetCookie() {
            return storeSetCookie;
        }

        public void setStoreSetCookie(Boolean storeSetCookie) {
            this.storeSetCookie = storeSetCookie;
        }

        public DataSize getMaxEntrySize() {
            return maxEntrySize;
        }

        public void setMaxEntrySize(DataSize maxEntrySize) {
            this.maxEntrySize = maxEntrySize;
        }

        public List<String> getTargetedFields() {
            return targetedFields;
        }

        public void setTargetedFields(List<String> targetedFields) {
            this.targetedFields = targetedFields;
        }
    }

    /** Which storage, and its bounds. */
    public static class Storage {

        /**
         * Kind of storage: sqlite (a file), memory, jdbc (PostgreSQL, shared by instances) or redis
         * (shared by instances; needs io.hishel:hishel-redis).
         * Unset: sqlite when sqlite-jdbc, HikariCP and Flyway are on the class path (the default
         * starter), memory otherwise (the memory starter).
         */
        private StorageType type;

        /** How long an entry lives in the storage when no rule or metadata says; unset for no limit beyond freshness. */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration defaultTtl;

        /** Whether a hit restarts an entry's TTL, unless a rule or metadata says otherwise. */
        private boolean refreshTtlOnAccess = true;

        /** Bound on the bytes of all stored bodies; least recently used entries are evicted above it. */
        private DataSize maxSize = DataSize.ofMegabytes(256);

        /** Bound on the number of entries; 0 for none. */
        private long maxEntries = 0;

        /** How often expired, removed and abandoned entries are deleted. */
        private Duration cleanupInterval = Duration.ofMinutes(5);

        /**
         * SQLite, JDBC and Redis: the longest one storage call a request makes may take, waiting for a
         * connection, for a turn to write and for the database; then it is interrupted, and the
         * application answers without the cache.
         */
        private Duration timeout = Duration.ofMillis(500);

        /**
         * Whether entries written by another build of the application are served. By default each
         * build keeps entries of its own, so a redeploy never serves what the previous version
         * answered.
         */
        private boolean serveOtherBuilds = false;

        /**
         * Identifier of this build of the application, for the entries it writes. Unset: from
         * META-INF/build-info.properties (version and build time) when the build writes one, or else
         * from the application's jar or classes (size and modification times).
         */
        private String buildId;

        /** The SQLite storage. */
        private final Sqlite sqlite = new Sqlite();

        /** The JDBC storage. */
        private final Jdbc jdbc = new Jdbc();

        /** SQLite, JDBC and Redis: the memory tier in front of the database or Redis. */
        private final Tier tier = new Tier();

        /** The Redis storage's settings. */
        private final HishelRedisProperties redis = new HishelRedisProperties();

        public StorageType getType() {
            return type;
        }

        public void setType(StorageType type) {
            this.type = type;
        }

        public Duration getDefaultTtl() {
            return defaultTtl;
        }

        public void setDefaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
        }

        public boolean isRefreshTtlOnAccess() {
            return refreshTtlOnAccess;
        }

        public void setRefreshTtlOnAccess(boolean refreshTtlOnAccess) {
            this.refreshTtlOnAccess = refreshTtlOnAccess;
        }

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public long getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(long maxEntries) {
            this.maxEntries = maxEntries;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getCleanupInterval() {
            return cleanupInterval;
        }

        public void setCleanupInterval(Duration cleanupInterval) {
            this.cleanupInterval = cleanupInterval;
        }

        public boolean isServeOtherBuilds() {
            return serveOtherBuilds;
        }

        public void setServeOtherBuilds(boolean serveOtherBuilds) {
            this.serveOtherBuilds = serveOtherBuilds;
        }

        public String getBuildId() {
            return buildId;
        }

        public void setBuildId(String buildId) {
            this.buildId = buildId;
        }

        public Sqlite getSqlite() {
            return sqlite;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        public Tier getTier() {
            return tier;
        }

        public HishelRedisProperties getRedis() {
            return redis;
        }
    }

    /**
     * The memory tier of the SQLite, JDBC and Redis storages: the metadata of the entries looked up
     * lately and the small bodies, kept in the heap so that a hit on a hot entry does not go to the
     * database or Redis, and forgotten as soon as a write changes them.
     */
    public static class Tier {

        /** Whether lookups ask a memory tier before the database or Redis. */
        private boolean enabled = true;

        /** Bound on what the tier holds, metadata and bodies together. */
        private DataSize maxSize = DataSize.ofMegabytes(32);

        /** Largest body the tier keeps; larger ones are read from the database or Redis. */
        private DataSize maxBodySize = DataSize.ofKilobytes(64);

        /**
         * How long the tier keeps what it read at most: the bound on how long a change made by
         * another instance, whose notification was lost, may go unseen.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration maxAge = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public DataSize getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** The kinds of storage. */
    public enum StorageType {
        /** A SQLite file: survives restarts, needs nothing installed. */
        SQLITE,
        /** The heap, bounded by max-size: fastest, lost on restart. */
        MEMORY,
        /** A database reached through JDBC, PostgreSQL usually: one cache shared by every instance. */
        JDBC,
        /** Redis, through io.hishel:hishel-redis: one cache shared by every instance. */
        REDIS
    }

    /** The SQLite storage's file and pool. */
    public static class Sqlite {

        /**
         * Database file; relative paths resolve against the working directory. When the default
         * path cannot be created or written there, the file goes to a folder under java.io.tmpdir
         * instead, with a warning; a path that is set must be writable.
         */
        private String path = ".cache/hishel/hishel_cache.db";

        /** Connections of hishel's own pool: readers share them, writers take turns. */
        private int poolSize = 4;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }
    }

    /**
     * The JDBC storage's database: a URL, for which hishel opens a pool of its own; or the
     * DataSource bean marked {@code @HishelDataSource}; or the application's DataSource. hishel's
     * pool is never registered as a bean, so it never becomes the application's DataSource.
     */
    public static class Jdbc {

        /**
         * HikariCP settings of hishel's own pool, as spring.datasource.hikari.* takes them, such as
         * maximum-pool-size or connection-timeout.
         */
        private final Map<String, String> hikari = new LinkedHashMap<>();

        public Map<String, String> getHikari() {
            return hikari;
        }

        /**
         * JDBC URL of hishel's database, for example jdbc:postgresql://db:5432/cache, for a pool of
         * hishel's own (configured by hishel.storage.jdbc.hikari.*). Unset: the DataSource bean marked
         * {@code @HishelDataSource}, or else the application's DataSource.
         */
        private String url;

        /** User for the URL. */
        private String username;

        /** Password for the URL. */
        private String password;

        /**
         * Name of a DataSource bean to use instead of a URL; hishel does not close it. Deprecated:
         * mark the bean {@code @HishelDataSource} instead.
         */
        private String dataSource;

        /** Maximum connections of the pool hishel opens for the URL. */
        private int poolSize = 10;

        /** Whether hishel creates and upgrades its tables with Flyway, in its own history table, at start-up. */
        private boolean migrate = true;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @DeprecatedConfigurationProperty(reason = "Mark the DataSource bean @HishelDataSource instead",
                since = "0.1.0")
        public String getDataSource() {
            return dataSource;
        }

        public void setDataSource(String dataSource) {
            this.dataSource = dataSource;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }
    }

    /** The servlet filter's registration and behaviour. */
    public static class Filter {

        /** The URL patterns the filter is mapped to. */
        private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

        /**
         * Order of the filter. Unset: just after Spring Security's filter chain
         * (spring.security.filter.order + 1), so the cache never answers a request security refuses.
         */
        private Integer order;

        /**
         * Dispatcher types the filter is mapped for. The cache acts on REQUEST dispatches only;
         * others pass through untouched.
         */
        private List<DispatcherType> dispatcherTypes = new ArrayList<>(List.of(DispatcherType.REQUEST));

        /**
         * Whether every response carries X-Hishel-From-Cache, X-Hishel-Revalidated, X-Hishel-Stored and
         * X-Hishel-Spec-Ignored. Off by default, because they tell any client whether someone else
         * asked for a URL lately; a MetadataHeadersPredicate bean shows them to trusted requests only.
         */
        private boolean metadataHeaders = false;

        /** Whether responses carry an RFC 9211 Cache-Status field. */
        private boolean cacheStatus = true;

        /** This cache's name in Cache-Status, an RFC 8941 token. */
        private String cacheName = "Hishel";

        /**
         * Whether X-Hishel-Ttl, X-Hishel-Spec-Ignore and the other metadata headers sent by clients
         * are honoured. Only for trusted clients: they let a client decide what is stored.
         */
        private boolean trustClientMetadata = false;

        /**
         * How long a URL whose answer can never be stored, whoever asks (no-store, private, a
         * status no cache stores), goes straight to the application without a lookup
         * (hit-for-pass); 0 turns it off.
         */
        private Duration hitForPass = Duration.ofMinutes(2);

        /** Whether the targeted fields addressed to this cache alone, such as Hishel-Cache-Control, are removed before responses leave; CDN-Cache-Control always passes on. */
        private boolean stripTargetedFields = true;

        /** Largest request body read to compute a body key; larger requests pass through uncached. */
        private DataSize maxRequestBodySize = DataSize.ofKilobytes(64);

        /**
         * Request fields an application may build URLs from; a request carrying them is keyed on
         * their values, so one client's X-Forwarded-Host cannot poison another's entry. Unset for
         * the filter's default list.
         */
        private List<String> keyedRequestFields;

        /** Concurrent misses for the same resource. */
        private final Collapsing collapsing = new Collapsing();

        /** What happens when the storage fails. */
        private final StorageFailures storageFailures = new StorageFailures();

        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }

        public Integer getOrder() {
            return order;
        }

        public void setOrder(Integer order) {
            this.order = order;
        }

        public List<DispatcherType> getDispatcherTypes() {
            return dispatcherTypes;
        }

        public void setDispatcherTypes(List<DispatcherType> dispatcherTypes) {
            this.dispatcherTypes = dispatcherTypes;
        }

        public boolean isMetadataHeaders() {
            return metadataHeaders;
        }

        public void setMetadataHeaders(boolean metadataHeaders) {
            this.metadataHeaders = metadataHeaders;
        }

        public boolean isCacheStatus() {
            return cacheStatus;
        }

        public void setCacheStatus(boolean cacheStatus) {
            this.cacheStatus = cacheStatus;
        }

        public String getCacheName() {
            return cacheName;
        }

        public void setCacheName(String cacheName) {
            this.cacheName = cacheName;
        }

        public boolean isTrustClientMetadata() {
            return trustClientMetadata;
        }

        public void setTrustClientMetadata(boolean trustClientMetadata) {
            this.trustClientMetadata = trustClientMetadata;
        }

        public Duration getHitForPass() {
            return hitForPass;
        }

        public void setHitForPass(Duration hitForPass) {
            this.hitForPass = hitForPass;
        }

        public boolean isStripTargetedFields() {
            return stripTargetedFields;
        }

        public void setStripTargetedFields(boolean stripTargetedFields) {
            this.stripTargetedFields = stripTargetedFields;
        }

        public DataSize getMaxRequestBodySize() {
            return maxRequestBodySize;
        }

        public void setMaxRequestBodySize(DataSize maxRequestBodySize) {
            this.maxRequestBodySize = maxRequestBodySize;
        }

        public List<String> getKeyedRequestFields() {
            return keyedRequestFields;
        }

        public void setKeyedRequestFields(List<String> keyedRequestFields) {
            this.keyedRequestFields = keyedRequestFields;
        }

        public Collapsing getCollapsing() {
            return collapsing;
        }

        public StorageFailures getStorageFailures() {
            return storageFailures;
        }
    }

    /** Request collapsing: one request per resource reaches the application, the others wait for its answer. */
    public static class Collapsing {

        /** Whether concurrent misses for one resource are collapsed into one application call. */
        private boolean enabled = true;

        /** How long a waiting request waits for the first one's answer before it asks the application itself. */
        private Duration wait = Duration.ofSeconds(10);

        /** How long a resource whose response could not be stored is no longer collapsed (hit-for-miss). */
        private Duration hitForMiss = Duration.ofMinutes(2);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getWait() {
            return wait;
        }

        public void setWait(Duration wait) {
            this.wait = wait;
        }

        public Duration getHitForMiss() {
            return hitForMiss;
        }

        public void setHitForMiss(Duration hitForMiss) {
            this.hitForMiss = hitForMiss;
        }
    }

    /** Fail-open: a failing storage makes answers slower, never errors. */
    public static class StorageFailures {

        /** After this many storage failures in a row, the filter leaves the storage alone for the cool-down. */
        private int threshold = 5;

        /** How long the filter leaves a failing storage alone before it tries again. */
        private Duration coolDown = Duration.ofSeconds(30);

        /** Duration above which a storage call counts as a failure. */
        private Duration slowCall = Duration.ofMillis(250);

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }

        public Duration getCoolDown() {
            return coolDown;
        }

        public void setCoolDown(Duration coolDown) {
            this.coolDown = coolDown;
        }

        public Duration getSlowCall() {
            return slowCall;
        }

        public void setSlowCall(Duration slowCall) {
            this.slowCall = slowCall;
        }
    }

    /** One per-route rule. */
    /** How request URLs become cache keys. Each setting makes requests that differ share an entry: see the documentation's warnings. */
    public static class Key {

        /** The origin (scheme, host and port) under which requests to the host aliases are keyed, such as https://shop.example, so that an application reached under several names keeps one entry per page. */
        private String canonicalHost;

        /** The host or host:port names keyed under the canonical host; empty for every host a request names. */
        private List<String> hostAliases = new ArrayList<>();

        /** Query parameters left out of the key: names such as gclid, or prefixes ending in *, such as utm_*. */
        private List<String> ignoredQueryParameters = new ArrayList<>();

        /** Whether the query's parameters are sorted by name in the key, so that ?b=2&a=1 and ?a=1&b=2 share an entry. */
        private boolean sortQueryParameters = false;

        public String getCanonicalHost() {
            return canonicalHost;
        }

        public void setCanonicalHost(String canonicalHost) {
            this.canonicalHost = canonicalHost;
        }

        public List<String> getHostAliases() {
            return hostAliases;
        }

        public void setHostAliases(List<String> hostAliases) {
            this.hostAliases = hostAliases;
        }

        public List<String> getIgnoredQueryParameters() {
            return ignoredQueryParameters;
        }

        public void setIgnoredQueryParameters(List<String> ignoredQueryParameters) {
            this.ignoredQueryParameters = ignoredQueryParameters;
        }

        public boolean isSortQueryParameters() {
            return sortQueryParameters;
        }

        public void setSortQueryParameters(boolean sortQueryParameters) {
            this.sortQueryParameters = sortQueryParameters;
        }
    }

    public static class Rule {

        /** Path pattern, in Spring's PathPattern syntax, matched against the path within the application: /api/**, /products/{id}. */
        private String pattern;

        /** Methods the rule applies to; empty for every method. */
        private List<String> methods = new ArrayList<>();

        /** Whether the cache handles matching requests; false sends them straight to the application. */
        private boolean enabled = true;

        /** How long entries for matching requests live in the storage (hishel_ttl). */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration ttl;

        /** Whether matching requests are stored and reused regardless of RFC 9111 directives (hishel_spec_ignore); no-store, private and Set-Cookie still apply. */
        private Boolean specIgnore;

        /** Whether matching requests are keyed by a digest of their body (hishel_body_key), for POST queries. */
        private Boolean bodyKey;

        /** Whether a hit restarts the TTL of entries for matching requests (hishel_refresh_ttl_on_access). */
        private Boolean refreshTtlOnAccess;

        /** Tags given to entries for matching requests, for purging by tag. */
        private List<String> tags = new ArrayList<>();

        /** Query parameters left out of the key of matching requests, besides hishel.key.ignored-query-parameters. */
        private List<String> ignoredQueryParameters = new ArrayList<>();

        /** Whether the query's parameters are sorted in the key of matching requests; unset for hishel.key.sort-query-parameters. */
        private Boolean sortQueryParameters;

        public List<String> getIgnoredQueryParameters() {
            return ignoredQueryParameters;
        }

        public void setIgnoredQueryParameters(List<String> ignoredQueryParameters) {
            this.ignoredQueryParameters = ignoredQueryParameters;
        }

        public Boolean getSortQueryParameters() {
            return sortQueryParameters;
        }

        public void setSortQueryParameters(Boolean sortQueryParameters) {
            this.sortQueryParameters = sortQueryParameters;
        }

        public String getPattern() {
            return pattern;
        }

        public void setPattern(String pattern) {
            this.pattern = pattern;
        }

        public List<String> getMethods() {
            return methods;
        }

        public void setMethods(List<String> methods) {
            this.methods = methods;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Boolean getSpecIgnore() {
            return specIgnore;
        }

        public void setSpecIgnore(Boolean specIgnore) {
            this.specIgnore = specIgnore;
        }

        public Boolean getBodyKey() {
            return bodyKey;
        }

        public void setBodyKey(Boolean bodyKey) {
            this.bodyKey = bodyKey;
        }

        public Boolean getRefreshTtlOnAccess() {
            return refreshTtlOnAccess;
        }

        public void setRefreshTtlOnAccess(Boolean refreshTtlOnAccess) {
            this.refreshTtlOnAccess = refreshTtlOnAccess;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
        }
    }
}
