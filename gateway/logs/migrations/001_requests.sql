-- The request log. Narrow, append-only tables; times are UTC; bodies live only in
-- `payloads`, sealed to the operator's public key (see gateway/logs/sealed.py).

CREATE TABLE requests (
    id                VARCHAR NOT NULL,   -- UUIDv7: sorts by time; also the weir-log-id header
    started_at        TIMESTAMP NOT NULL, -- UTC
    source            VARCHAR NOT NULL,   -- 'gateway' or 'egress'
    gateway           VARCHAR NOT NULL,
    provider          VARCHAR NOT NULL,
    model             VARCHAR,            -- the model that answered (or was asked for)
    endpoint          VARCHAR NOT NULL,   -- passthrough, compat.chat, compat.embeddings, compat.messages, ...
    method            VARCHAR NOT NULL,
    path              VARCHAR NOT NULL,
    route             VARCHAR,            -- a dynamic route's name, when one chose the provider
    step              INTEGER,            -- which step of a fallback chain answered (0 = first)
    status            INTEGER NOT NULL,
    error_class       VARCHAR,            -- NULL on success; see gateway/logs/rows.py
    error             VARCHAR,            -- the gateway's own message (never a provider body)
    duration_ms       DOUBLE NOT NULL,
    ttft_ms           DOUBLE,             -- until the first byte went to the client
    streamed          BOOLEAN NOT NULL,
    truncated         BOOLEAN NOT NULL,   -- a stream that ended without its terminal event
    input_tokens      BIGINT,
    output_tokens     BIGINT,
    cached_tokens     BIGINT,
    reasoning_tokens  BIGINT,
    cost_usd          DOUBLE,
    cache_status      VARCHAR,            -- HIT, MISS, BYPASS, or NULL when the cache did not run
    user_id           VARCHAR,
    key_fingerprint   VARCHAR,
    groups            VARCHAR[],
    metadata          VARCHAR,            -- weir-metadata: a JSON object of at most 5 flat entries
    dlp_action        VARCHAR NOT NULL,   -- allow, flag, redact, block
    dlp_entries       VARCHAR[],
    dlp_topics        VARCHAR[],
    payload_stored    BOOLEAN NOT NULL
);

CREATE TABLE attempts (
    request_id        VARCHAR NOT NULL,
    attempt           INTEGER NOT NULL,   -- 0, 1, ... in the order they were made
    provider          VARCHAR NOT NULL,
    model             VARCHAR,
    started_at        TIMESTAMP NOT NULL,
    status            INTEGER NOT NULL,
    error             VARCHAR,
    duration_ms       DOUBLE NOT NULL     -- until the response headers, or the failure
);

-- One row per DLP finding: what was found and where, never the matched text.
CREATE TABLE findings (
    request_id        VARCHAR NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    direction         VARCHAR NOT NULL,   -- request or response
    entry             VARCHAR NOT NULL,
    topic             VARCHAR NOT NULL,
    level             VARCHAR NOT NULL,
    confidence        DOUBLE NOT NULL,
    action            VARCHAR NOT NULL,
    policy            VARCHAR
);

-- Sealed bodies: version || enc || seq || ciphertext, bound to the record id.
CREATE TABLE payloads (
    request_id        VARCHAR NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    request           BLOB,
    response          BLOB
);

-- Appended by PATCH /api/logs/{id}; the latest row per request wins (see the view).
CREATE TABLE feedback_events (
    request_id        VARCHAR NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    feedback          TINYINT,            -- -1 or 1
    score             SMALLINT,           -- 0..100
    comment           VARCHAR
);

CREATE VIEW feedback AS
SELECT request_id,
       max(created_at) AS updated_at,
       arg_max(feedback, created_at) FILTER (WHERE feedback IS NOT NULL) AS feedback,
       arg_max(score, created_at) FILTER (WHERE score IS NOT NULL) AS score,
       arg_max(comment, created_at) FILTER (WHERE comment IS NOT NULL) AS comment
FROM feedback_events
GROUP BY request_id;

CREATE VIEW daily AS
SELECT date_trunc('day', started_at)::DATE AS day, gateway, provider, model,
       count(*) AS requests,
       count(*) FILTER (WHERE status >= 400 OR truncated) AS errors,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cost_usd) AS cost_usd,
       count(*) FILTER (WHERE cache_status = 'HIT') AS cache_hits,
       quantile_cont(duration_ms, 0.5) AS p50_ms,
       quantile_cont(duration_ms, 0.95) AS p95_ms,
       quantile_cont(ttft_ms, 0.5) AS p50_ttft_ms
FROM requests
GROUP BY ALL;
