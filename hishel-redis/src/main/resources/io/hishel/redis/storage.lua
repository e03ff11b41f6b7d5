-- Every operation of hishel's Redis storage that must see and change several keys at once. One
-- script, so that the helpers below are written once; Redis runs a script atomically, so a reader
-- never sees an entry half committed or half removed.
--
-- ARGV[1] names the operation, ARGV[2] is the storage's key prefix; the rest is the operation's.
-- Times are epoch milliseconds of the application's clock, passed in, so that every instance and
-- every test agrees on what has expired; Redis's own expiry only reclaims space, later.
--
-- Keys, after the prefix:
--   e:<id>      hash: the entry. s = state (w writing, x doomed while writing, c committed),
--               u = normalised URL, t = tags (JSON array), m = metadata (EntryCodec), k = cache key,
--               z = body size, c = chunk count, h = body checksum, x = expires at (-1: no TTL),
--               r = refreshes on access (1/0), l = TTL in ms (-1: none), a = stored at
--   b:<id>      hash: the body, chunk number -> 4-byte checksum and the chunk's bytes
--   k:<sha1>    set: committed ids under a cache key
--   u:<sha1>    set: ids (writing or committed) for a normalised URL
--   t:<sha1>    set: ids (writing or committed) carrying a tag
--   inv:<sha1>  when a URL was last invalidated; tinv:<sha1> a tag purged; allinv everything
--   all         sorted set: committed ids by stored-at (listing)
--   lru         sorted set: committed ids by last use (eviction)
--   exp         sorted set: committed ids with a TTL, by expiry (clean-up)
--   sizes       hash: committed id -> body size, so that the byte count can be corrected for an
--               entry Redis expired or evicted by itself
--   bytes       the bytes of all committed bodies
--   pending     hash: id being written -> JSON [url, tags...], to unindex a writer that died

local op = ARGV[1]
local P = ARGV[2]

local ALL, LRU, EXP, SIZES, BYTES, PENDING, URLS =
    P .. 'all', P .. 'lru', P .. 'exp', P .. 'sizes', P .. 'bytes', P .. 'pending', P .. 'urls'

local function ekey(id) return P .. 'e:' .. id end
local function bkey(id) return P .. 'b:' .. id end
local function kkey(key) return P .. 'k:' .. redis.sha1hex(key) end
local function ukey(url) return P .. 'u:' .. redis.sha1hex(url) end
local function tkey(tag) return P .. 't:' .. redis.sha1hex(tag) end
local function markkey(url) return P .. 'inv:' .. redis.sha1hex(url) end
local function tagmarkkey(tag) return P .. 'tinv:' .. redis.sha1hex(tag) end
local ALLMARK = P .. 'allinv'
-- Prefix purges' marks: prefix -> when. Few and short-lived, so a commit walks the recent ones.
local PREFIXMARKS = P .. 'pinv'

-- Records when something was removed, so that a response requested before cannot come back
-- with a later commit; a mark never moves back, whichever instance's clock is behind.
local function mark(key, now, ttl)
    local old = redis.call('GET', key)
    if not old or tonumber(old) < now then
        redis.call('SET', key, now, 'PX', ttl)
    end
end

local function markedSince(key, requested)
    local at = redis.call('GET', key)
    return at ~= false and at ~= nil and tonumber(at) >= requested
end

local function visible(expires, now)
    return expires == '-1' or tonumber(expires) > now
end

-- Drops a committed id from the accounting; enough for one whose entry hash is already gone.
local function forget(id)
    redis.call('ZREM', ALL, id)
    redis.call('ZREM', LRU, id)
    redis.call('ZREM', EXP, id)
    local size = redis.call('HGET', SIZES, id)
    if size then
        redis.call('HDEL', SIZES, id)
        redis.call('DECRBY', BYTES, size)
    end
end

local function dropUrl(url, id)
    local u = ukey(url)
    redis.call('SREM', u, id)
    if redis.call('SCARD', u) == 0 then
        redis.call('ZREM', URLS, url)
    end
end

-- Drops an id from every index, reading where it is indexed from its entry or, for a writer whose
-- entry expired with its lease, from its pending record.
local function unindex(id)
    local f = redis.call('HMGET', ekey(id), 'k', 'u', 't')
    if f[1] then
        redis.call('SREM', kkey(f[1]), id)
    end
    local url, tags = f[2], f[3] and cjson.decode(f[3]) or {}
    if not url then
        local record = redis.call('HGET', PENDING, id)
        if record then
            local decoded = cjson.decode(record)
            url = decoded[1]
            tags = {}
            for i = 2, #decoded do tags[#tags + 1] = decoded[i] end
        end
    end
    if url then
        dropUrl(url, id)
    end
    for _, tag in ipairs(tags) do
        redis.call('SREM', tkey(tag), id)
    end
    redis.call('HDEL', PENDING, id)
    forget(id)
end

-- Removes a committed entry; its body stays readable for the grace, for the responses reading it.
local function removeCommitted(id, grace)
    unindex(id)
    redis.call('DEL', ekey(id))
    if tonumber(grace) > 0 then
        redis.call('PEXPIRE', bkey(id), grace)
    else
        redis.call('DEL', bkey(id))
    end
end

-- The cache keys of the committed entries this call removed, for the memory tiers to forget.
local TAKEN = {}

-- Appends the keys taken to a result, after its counts.
local function withTaken(result)
    for _, key in ipairs(TAKEN) do
        result[#result + 1] = key
    end
    return result
end

-- Removes an entry, or dooms it if it is still being written, so that its commit discards it.
-- Returns 1 if a visible entry was removed.
local function take(id, now, grace)
    local f = redis.call('HMGET', ekey(id), 's', 'x', 'k')
    if f[1] == 'w' then
        redis.call('HSET', ekey(id), 's', 'x')
        return 0
    elseif f[1] == 'c' then
        TAKEN[#TAKEN + 1] = f[3]
        removeCommitted(id, grace)
        return visible(f[2], now) and 1 or 0
    elseif not f[1] then
        forget(id)
    end
    return 0
end

-- Takes up to a batch of the ids in a set; returns {removed, taken}.
local function takeSet(set, now, grace, batch)
    local ids = redis.call('SPOP', set, batch)
    local removed = 0
    for _, id in ipairs(ids) do
        removed = removed + take(id, now, grace)
    end
    return { removed, #ids }
end

if op == 'create' then
    -- ARGV: id, url, lease, tags...
    local id, url, lease = ARGV[3], ARGV[4], ARGV[5]
    local tags, record = {}, { url }
    for i = 6, #ARGV do
        tags[#tags + 1] = ARGV[i]
        record[#record + 1] = ARGV[i]
    end
    local e = ekey(id)
    redis.call('HSET', e, 's', 'w', 'u', url)
    if #tags > 0 then
        redis.call('HSET', e, 't', cjson.encode(tags))
    end
    redis.call('PEXPIRE', e, lease)
    redis.call('HSET', PENDING, id, cjson.encode(record))
    redis.call('SADD', ukey(url), id)
    redis.call('ZADD', URLS, 0, url)
    for _, tag in ipairs(tags) do
        redis.call('SADD', tkey(tag), id)
    end
    return 1

elseif op == 'chunk' then
    -- ARGV: id, number, bytes, lease. Each chunk moves the writer's lease on.
    local b = bkey(ARGV[3])
    redis.call('HSET', b, ARGV[4], ARGV[5])
    redis.call('PEXPIRE', b, ARGV[6])
    redis.call('PEXPIRE', ekey(ARGV[3]), ARGV[6])
    return 1

elseif op == 'commit' then
    -- ARGV: id, last number, last bytes ('' for none), chunks, size, checksum, metadata, key,
    -- stored at, requested at, now, expires at, space ttl (-1: none), refresh, ttl, incomplete grace,
    -- max bytes, max entries (0: none). Returns 0 if discarded, 1 if visible, 2 if visible and the
    -- storage is now above a bound.
    local id = ARGV[3]
    local e, b = ekey(id), bkey(id)
    local requested, now = tonumber(ARGV[12]), tonumber(ARGV[13])
    local f = redis.call('HMGET', e, 's', 'u', 't')
    local discard = f[1] ~= 'w'
    if not discard then
        -- RFC 9111 §4.4: a response requested before its URL was invalidated must not undo it;
        -- nor one requested before a purge of one of its tags, a prefix of its URL, or everything.
        discard = markedSince(markkey(f[2]), requested) or markedSince(ALLMARK, requested)
            or requested < now - tonumber(ARGV[18])
        if not discard then
            for _, prefix in ipairs(redis.call('ZRANGEBYSCORE', PREFIXMARKS, requested, '+inf')) do
                if string.sub(f[2], 1, #prefix) == prefix then
                    discard = true
                    break
                end
            end
        end
        if not discard and f[3] then
            for _, tag in ipairs(cjson.decode(f[3])) do
                if markedSince(tagmarkkey(tag), requested) then
                    discard = true
                    break
                end
            end
        end
    end
    if discard then
        unindex(id)
        redis.call('DEL', e, b)
        return 0
    end
    if ARGV[5] ~= '' then
        redis.call('HSET', b, ARGV[4], ARGV[5])
    end
    redis.call('HSET', e, 's', 'c', 'm', ARGV[9], 'k', ARGV[10], 'z', ARGV[7], 'c', ARGV[6], 'h', ARGV[8],
        'x', ARGV[14], 'r', ARGV[16], 'l', ARGV[17], 'a', ARGV[11])
    redis.call('HDEL', PENDING, id)
    redis.call('SADD', kkey(ARGV[10]), id)
    redis.call('ZADD', ALL, ARGV[11], id)
    redis.call('ZADD', LRU, now, id)
    if ARGV[14] ~= '-1' then
        redis.call('ZADD', EXP, ARGV[14], id)
    end
    redis.call('HSET', SIZES, id, ARGV[7])
    redis.call('INCRBY', BYTES, ARGV[7])
    if ARGV[15] == '-1' then
        redis.call('PERSIST', e)
        redis.call('PERSIST', b)
    else
        redis.call('PEXPIRE', e, ARGV[15])
        redis.call('PEXPIRE', b, ARGV[15])
    end
    local maxEntries = tonumber(ARGV[20])
    if tonumber(redis.call('GET', BYTES)) > tonumber(ARGV[19])
        or (maxEntries > 0 and redis.call('ZCARD', ALL) > maxEntries) then
        return 2
    end
    return 1

elseif op == 'discard' then
    -- ARGV: id. An aborted writer.
    unindex(ARGV[3])
    redis.call('DEL', ekey(ARGV[3]), bkey(ARGV[3]))
    return 1

elseif op == 'entries' then
    -- ARGV: cache key. Returns {id, state, metadata, expires at} of the committed ones; the
    -- caller decides what has expired.
    local k = kkey(ARGV[3])
    local out = {}
    for _, id in ipairs(redis.call('SMEMBERS', k)) do
        local f = redis.call('HMGET', ekey(id), 's', 'm', 'x', 'k')
        if f[1] == 'c' and f[4] == ARGV[3] then
            out[#out + 1] = { id, f[2], f[3] }
        elseif not f[1] then
            -- Expired or evicted by Redis itself.
            redis.call('SREM', k, id)
            forget(id)
        end
    end
    return out

elseif op == 'open' then
    -- ARGV: id. Returns {size, chunks, checksum, expires at, chunks present, cache key}, or {} if
    -- not committed.
    local f = redis.call('HMGET', ekey(ARGV[3]), 's', 'z', 'c', 'h', 'x', 'k')
    if f[1] ~= 'c' then
        return {}
    end
    return { f[2], f[3], f[4], f[5], redis.call('HLEN', bkey(ARGV[3])), f[6] }

elseif op == 'access' then
    -- ARGV: id, now, read grace
    local id = ARGV[3]
    local e = ekey(id)
    local now = tonumber(ARGV[4])
    local f = redis.call('HMGET', e, 's', 'x', 'r', 'l')
    if f[1] ~= 'c' or not visible(f[2], now) then
        return 0
    end
    redis.call('ZADD', LRU, 'XX', now, id)
    if f[3] == '1' and f[4] ~= '-1' then
        local expires = now + tonumber(f[4])
        redis.call('HSET', e, 'x', expires)
        redis.call('ZADD', EXP, expires, id)
        local space = tonumber(f[4]) + tonumber(ARGV[5])
        redis.call('PEXPIRE', e, space)
        redis.call('PEXPIRE', bkey(id), space)
    end
    return 1

elseif op == 'update' then
    -- ARGV: id, metadata, stored at, now
    local e = ekey(ARGV[3])
    local f = redis.call('HMGET', e, 's', 'x')
    if f[1] ~= 'c' or not visible(f[2], tonumber(ARGV[6])) then
        return 0
    end
    redis.call('HSET', e, 'm', ARGV[4], 'a', ARGV[5])
    redis.call('ZADD', ALL, 'XX', ARGV[5], ARGV[3])
    return 1

elseif op == 'remove' then
    -- ARGV: id, now, read grace. Returns {removed, key taken...}.
    return withTaken({ take(ARGV[3], tonumber(ARGV[4]), ARGV[5]) })

elseif op == 'invalidate' then
    -- ARGV: url, now, mark ttl, read grace, batch. Marks first: a commit either sees the mark or
    -- is there to be taken.
    mark(markkey(ARGV[3]), tonumber(ARGV[4]), ARGV[5])
    local result = takeSet(ukey(ARGV[3]), tonumber(ARGV[4]), ARGV[6], tonumber(ARGV[7]))
    if redis.call('SCARD', ukey(ARGV[3])) == 0 then
        redis.call('ZREM', URLS, ARGV[3])
    end
    return withTaken(result)

elseif op == 'purgeTag' then
    -- ARGV: tag, now, read grace, batch, mark ttl
    mark(tagmarkkey(ARGV[3]), tonumber(ARGV[4]), ARGV[7])
    return withTaken(takeSet(tkey(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])))

elseif op == 'purgePrefix' then
    -- ARGV: prefix, now, read grace, batch, mark ttl. The URLs are a sorted set of equal scores,
    -- ordered by their bytes: a prefix is a range, and no UTF-8 byte is 0xFF.
    local now, grace = tonumber(ARGV[4]), ARGV[5]
    -- Marked before the removal, as an invalidation is; the marks of an incomplete-entry grace ago go.
    redis.call('ZADD', PREFIXMARKS, 'GT', now, ARGV[3])
    redis.call('ZREMRANGEBYSCORE', PREFIXMARKS, '-inf', '(' .. (now - tonumber(ARGV[7])))
    redis.call('PEXPIRE', PREFIXMARKS, ARGV[7])
    local urls = redis.call('ZRANGEBYLEX', URLS, '[' .. ARGV[3], '(' .. ARGV[3] .. '\255', 'LIMIT', 0,
        tonumber(ARGV[6]))
    local removed = 0
    for _, url in ipairs(urls) do
        for _, id in ipairs(redis.call('SMEMBERS', ukey(url))) do
            removed = removed + take(id, now, grace)
        end
        redis.call('DEL', ukey(url))
        redis.call('ZREM', URLS, url)
    end
    return withTaken({ removed, #urls })

elseif op == 'doomWriters' then
    -- ARGV: now, mark ttl. Every writer still open: its commit is to discard it, and so is that
    -- of every response requested before now. Writers are few: those in flight.
    mark(ALLMARK, tonumber(ARGV[3]), ARGV[4])
    for _, id in ipairs(redis.call('HKEYS', PENDING)) do
        if redis.call('HGET', ekey(id), 's') == 'w' then
            redis.call('HSET', ekey(id), 's', 'x')
        end
    end
    return 1

elseif op == 'purgeAll' then
    -- ARGV: now, read grace, batch
    local now, grace = tonumber(ARGV[3]), ARGV[4]
    local ids = redis.call('ZRANGE', ALL, 0, tonumber(ARGV[5]) - 1)
    local removed = 0
    for _, id in ipairs(ids) do
        removed = removed + take(id, now, grace)
    end
    return { removed, #ids }

elseif op == 'list' then
    -- ARGV: offset, limit, now. Newest first; equal scores come in reverse order of their ids'
    -- bytes, as the contract orders them. Steps over the entries before the offset.
    local offset, limit, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
    local out, seen, start = {}, 0, 0
    while #out < limit do
        local ids = redis.call('ZREVRANGE', ALL, start, start + 199)
        if #ids == 0 then
            break
        end
        start = start + #ids
        for _, id in ipairs(ids) do
            local f = redis.call('HMGET', ekey(id), 's', 'm', 'k', 'u', 'z', 'x', 't')
            if f[1] == 'c' and visible(f[6], now) then
                seen = seen + 1
                if seen > offset and #out < limit then
                    out[#out + 1] = { id, f[2], f[3], f[4], f[5], f[6], f[7] and cjson.decode(f[7]) or {} }
                end
            end
        end
    end
    return out

elseif op == 'statistics' then
    return { redis.call('ZCARD', ALL), tonumber(redis.call('GET', BYTES) or '0') }

elseif op == 'cleanUp' then
    -- ARGV: now, read grace, batch, max bytes, max entries (0: none).
    -- Returns {expired, vanished, incomplete, evicted}.
    local now, grace, batch = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
    local expired = 0
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', EXP, '-inf', now, 'LIMIT', 0, batch)) do
        if redis.call('HGET', ekey(id), 's') == 'c' then
            removeCommitted(id, grace)
            expired = expired + 1
        else
            forget(id)
        end
    end
    -- Entries Redis expired or evicted by itself: the least recently used are the likeliest.
    local vanished = 0
    for _, id in ipairs(redis.call('ZRANGE', LRU, 0, batch - 1)) do
        if redis.call('EXISTS', ekey(id)) == 0 then
            forget(id)
            vanished = vanished + 1
        end
    end
    -- Writers that died: their entry expired with its lease; their index records remain.
    local incomplete = 0
    for _, id in ipairs(redis.call('HRANDFIELD', PENDING, batch)) do
        if redis.call('EXISTS', ekey(id)) == 0 then
            unindex(id)
            redis.call('DEL', bkey(id))
            incomplete = incomplete + 1
        end
    end
    local evicted = 0
    local maxBytes, maxEntries = tonumber(ARGV[6]), tonumber(ARGV[7])
    while evicted < batch do
        local bytes = tonumber(redis.call('GET', BYTES) or '0')
        local count = redis.call('ZCARD', ALL)
        if bytes <= maxBytes and (maxEntries == 0 or count <= maxEntries) then
            break
        end
        local oldest = redis.call('ZRANGE', LRU, 0, 0)
        if #oldest == 0 then
            break
        end
        removeCommitted(oldest[1], grace)
        evicted = evicted + 1
    end
    return { expired, vanished, incomplete, evicted }
end

return redis.error_reply('hishel: unknown operation ' .. tostring(op))
