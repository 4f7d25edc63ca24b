-- Sealed bodies are ciphertext: DuckDB's compression finds nothing to gain in them and
-- spent most of each checkpoint trying (measured: 3x slower appends of 1-2 KB blobs).
-- Store them uncompressed; the table is rebuilt because compression is fixed at creation.

CREATE TABLE payloads_new (
    request_id        VARCHAR NOT NULL,
    started_at        TIMESTAMP NOT NULL,
    request           BLOB USING COMPRESSION uncompressed,
    response          BLOB USING COMPRESSION uncompressed
);
INSERT INTO payloads_new SELECT request_id, started_at, request, response FROM payloads;
DROP TABLE payloads;
ALTER TABLE payloads_new RENAME TO payloads;
