package io.hishel.jdbc;

import io.hishel.storage.Entry;
import io.hishel.storage.Storage;

/**
 * The writes after which a looked-up entry must no longer be served, as the coherence tests of the
 * memory tier make them; every entry they look at is stored under {@link #URL} with {@link #TAG}.
 */
enum TierWrite {
    INVALIDATE {
        @Override
        void apply(Storage storage, Entry entry) {
            storage.invalidate(entry.request().url());
        }
    },
    PURGE_BY_PREFIX {
        @Override
        void apply(Storage storage, Entry entry) {
            storage.purgeByPrefix("https://example.com/tiered/");
        }
    },
    PURGE_BY_TAG {
        @Override
        void apply(Storage storage, Entry entry) {
            storage.purgeByTag(TAG);
        }
    },
    PURGE_ALL {
        @Override
        void apply(Storage storage, Entry entry) {
            storage.purgeAll();
        }
    },
    REMOVE {
        @Override
        void apply(Storage storage, Entry entry) {
            storage.remove(entry.id());
        }
    };

    static final String URL = "https://example.com/tiered/item";
    static final String TAG = "tiered";

    abstract void apply(Storage storage, Entry entry);
}
