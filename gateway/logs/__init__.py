"""The request log: records, encrypted payloads, the DuckDB writer and the SQL surfaces."""
