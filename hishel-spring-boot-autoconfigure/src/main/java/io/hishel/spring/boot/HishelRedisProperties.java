package io.hishel.spring.boot;


/**
 * {@code hishel.storage.redis.*}, bound with the rest of {@link HishelProperties}: where the Redis storage ({@code hishel.storage.type=redis})
 * keeps its entries. The connection is Boot's {@code spring.data.redis.*} when the application
 * has Spring Data Redis, unless {@code url} names another Redis; the timeout is
 * {@code hishel.storage.timeout}.
 */
public class HishelRedisProperties {

    /**
     * The Redis URI of hishel's Redis, for example redis://cache:6379/0; unset to use the
     * application's spring.data.redis connection, or redis://localhost:6379 without one.
     */
    private String url;

    /**
     * What every key of the cache starts with; several applications on one Redis must each have
     * their own, every instance of one application the same. Unset: hishel:, then
     * spring.application.name and a colon when it is set.
     */
    private String keyPrefix;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }
}
