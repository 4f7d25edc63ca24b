"""The typed configuration tree: frozen dataclasses, one per TOML table.

The loader (``config.loader``) builds these from TOML and validates every key, so
nothing else in Weir ever reads a raw config dict. Field metadata ``doc`` is the help
text for each key; durations and sizes are written in TOML as strings ("30s", "10MiB")
and stored here as seconds (float) and bytes (int).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NewType

Seconds = NewType("Seconds", float)
Bytes = NewType("Bytes", int)

# DLP vocabulary. It lives here because the config loader validates policies against it;
# ``policies/finding.py`` re-exports it.
Topic = Literal[
    "pii",  # content: personal data
    "credentials",  # content: credentials and secrets
    "source_code",  # content
    "customer_data",  # content: operator-listed customers, accounts, custom patterns
    "financial",  # content: financial information
    "intent_pii",  # intent: asking for someone's personal data
    "intent_code_abuse",  # intent: malware, exploits, malicious code
    "intent_jailbreak",  # intent: jailbreak and prompt injection
]
Action = Literal["allow", "flag", "redact", "block"]
LevelName = Literal["low", "medium", "high"]
Direction = Literal["request", "response", "both"]

ApiFamily = Literal["openai", "azure-openai", "anthropic", "gemini", "cohere", "generic"]
AuthStyle = Literal["bearer", "x-api-key", "api-key", "x-goog-api-key", "token"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8787
    workers: int = 1
    data_dir: str = "./weir-data"
    trusted_proxies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Sizes that hold on every path (see ARCHITECTURE.md, security rules)."""

    max_request_body: Bytes = Bytes(10 * 1024 * 1024)
    max_response_body: Bytes = Bytes(64 * 1024 * 1024)
    max_header_line: Bytes = Bytes(8190)
    max_header_count: int = 100
    max_sse_line: Bytes = Bytes(1024 * 1024)


@dataclass(frozen=True, slots=True)
class TimeoutsConfig:
    """``connect``: to open an upstream connection. ``upstream_total``: the whole upstream
    exchange, first byte to last, streams included. ``upstream_read``: the longest pause
    inside a stream. ``client_idle``: an idle keep-alive connection, and the time a new
    connection has to send its request headers. ``client_body``: to receive a body."""

    connect: Seconds = Seconds(10.0)
    upstream_total: Seconds = Seconds(600.0)
    upstream_read: Seconds = Seconds(300.0)
    client_idle: Seconds = Seconds(60.0)
    client_body: Seconds = Seconds(30.0)


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One upstream provider, resolved: the built-in table (``providers.toml``) with the
    operator's ``[providers.NAME]`` overrides applied, or a ``custom-{name}`` provider.

    ``base_url`` is how tests point Weir at fake providers. For Azure OpenAI it may hold
    ``{resource}``: the first path segment then names the resource (a DNS label, checked),
    so the host stays under the configured domain.
    """

    base_url: str
    family: ApiFamily = "openai"
    auth: AuthStyle = "bearer"
    chat_path: str = "/chat/completions"
    embeddings_path: str = "/embeddings"
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One DLP rule. Rules are tried in order for each finding; the first that matches
    decides its action. Every filter left empty matches anything."""

    name: str
    action: Action
    topics: tuple[Topic, ...] = ()
    entries: tuple[str, ...] = ()
    min_level: LevelName = "medium"
    users: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    gateways: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    models: tuple[str, ...] = ()  # shell-style patterns, e.g. "gpt-4o*"
    direction: Direction = "both"
    placeholder: Literal["entry", "numbered"] = "entry"  # [REDACTED:EMAIL] or [EMAIL_1]


@dataclass(frozen=True, slots=True)
class PolicyFile:
    """A policy preset in ``config/policies/NAME.toml``."""

    rules: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True, slots=True)
class ExactDataConfig:
    """An operator list for exact-data matching: ``file`` holds only salted digests
    (made by ``weir hash-list``); the salt comes from the environment variable
    ``salt_env``, never from a file next to the digests."""

    entry: str
    file: str
    salt_env: str = "WEIR_EDM_SALT"


@dataclass(frozen=True, slots=True)
class DlpConfig:
    """``policy`` names a preset in ``config/policies/`` or a TOML file path; ``rules``
    given here come first, so an operator's own rules win over the preset's."""

    enabled: bool = True
    policy: str = "default"
    rules: tuple[PolicyRule, ...] = ()
    inspect_responses: bool = True
    stream_holdback: int = 256  # characters of a streamed response held back for matching
    custom_patterns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    exact_data: tuple[ExactDataConfig, ...] = ()


@dataclass(frozen=True, slots=True)
class TokenConfig:
    """A static gateway token, stored only as a salted hash (``weir hash-token``)."""

    hash: str
    user: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthConfig:
    """``required``: refuse requests without a valid ``weir-authorization`` token."""

    required: bool = False
    tokens: tuple[TokenConfig, ...] = ()
    jwt: JwtConfig | None = None


JwtAlgorithm = Literal[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"
]


@dataclass(frozen=True, slots=True)
class JwtConfig:
    """[gateways.NAME.auth.jwt]: JSON Web Tokens in ``weir-authorization``, verified with pyjwt.

    Keys come only from here — a PEM file, an environment variable (HMAC secrets) or a
    JWKS document on disk — never from a URL or key inside a token. Every algorithm in
    ``algorithms`` must suit the configured key (HMAC only with ``secret_env``).
    """

    algorithms: tuple[JwtAlgorithm, ...]
    public_key_file: str = ""  # PEM: RSA, EC or Ed25519 public key
    jwks_file: str = ""  # a JWKS document; a token's "kid" picks its key
    secret_env: str = ""  # environment variable holding an HMAC secret
    issuer: str = ""  # required "iss" when set
    audience: str = ""  # required "aud" when set
    leeway: Seconds = Seconds(30.0)  # clock skew allowed on exp/nbf/iat, at most 5m
    user_claim: str = "sub"
    groups_claim: str = "groups"
    tenant_claim: str = "tenant"


LimitSubject = str  # "gateway", "key", "user", "group" or "metadata.NAME"


@dataclass(frozen=True, slots=True)
class RateLimitRule:
    """[[gateways.NAME.rate_limits]]: at most ``limit`` requests (or tokens) per ``window``
    for each value of ``per`` (each user, each key, ...)."""

    name: str
    limit: int
    window: Seconds
    per: LimitSubject = "gateway"
    unit: Literal["requests", "tokens"] = "requests"
    algorithm: Literal["sliding", "fixed"] = "sliding"


@dataclass(frozen=True, slots=True)
class BudgetRule:
    """[[gateways.NAME.budgets]]: at most ``limit_usd`` of provider spend per ``period``
    for each value of ``per``; requests are refused before the cap, never after."""

    name: str
    limit_usd: float
    per: LimitSubject = "gateway"
    period: Literal["day", "month"] = "month"
    # What a request reserves when it names no max_tokens: its output is assumed this long.
    assumed_output_tokens: int = 4096


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    """One named gateway: the ``{gateway}`` segment of ``/v1/{gateway}/...``."""

    providers: tuple[str, ...] = ()
    collect_logs: bool = True  # a request log row per request (the weir-collect-log header can turn it off)
    collect_payloads: bool = True  # and its sealed bodies, when [logs] has a public key
    log_retention: Seconds | None = None  # overrides [logs] retention for this gateway's rows
    cache_ttl: Seconds | None = None  # cache successful answers this long (weir-cache-ttl overrides)
    rate_limits: tuple[RateLimitRule, ...] = ()
    budgets: tuple[BudgetRule, ...] = ()
    allow_custom_cost: bool = False  # may a request price itself with weir-custom-cost?
    auth: AuthConfig = field(default_factory=AuthConfig)


@dataclass(frozen=True, slots=True)
class StateConfig:
    """[state]: where cache entries, rate-limit windows and budget ledgers live. ``memory``
    is one process; ``redis`` shares them between processes and machines."""

    backend: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    key_prefix: str = "weir:"


@dataclass(frozen=True, slots=True)
class KeysConfig:
    """[keys]: stored provider keys (``weir keys add``), injected into requests that carry none."""

    file: str = ""  # the encrypted key file; empty: no stored keys
    secret_env: str = "WEIR_KEYS_SECRET"  # the environment variable holding the file's secret


@dataclass(frozen=True, slots=True)
class CacheConfig:
    """[cache]: the exact-response cache, bounded by bytes, least recently used out first."""

    enabled: bool = True
    max_bytes: Bytes = Bytes(256 * 1024 * 1024)
    max_entry: Bytes = Bytes(8 * 1024 * 1024)  # a larger answer is not cached
    max_ttl: Seconds = Seconds(30 * 86400.0)


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """US dollars per million tokens (``config/pricing.toml``, overridden by ``[pricing]``)."""

    input: float
    output: float
    cached_input: float | None = None  # cache reads; None: priced as input
    reasoning: float | None = None  # reasoning ("thinking") output tokens; None: priced as output


@dataclass(frozen=True, slots=True)
class LogsConfig:
    """[logs]: the request log, a DuckDB file in ``{server.data_dir}/logs/``.

    Bodies are stored only sealed to ``public_key_file`` (``weir keys generate-log-key``
    writes one); without it rows are logged and bodies are not.
    """

    enabled: bool = True
    public_key_file: str = ""
    flush_interval: Seconds = Seconds(1.0)
    queue_size: int = 50_000  # records waiting for the writer; past it, records are shed and counted
    retention: Seconds = Seconds(30 * 86400.0)
    sql_timeout: Seconds = Seconds(10.0)  # for /api/sql and `weir logs sql`
    sql_memory_limit: Bytes = Bytes(512 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Config:
    server: ServerConfig = field(default_factory=ServerConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    timeouts: TimeoutsConfig = field(default_factory=TimeoutsConfig)
    gateways: Mapping[str, GatewayConfig] = field(
        default_factory=lambda: MappingProxyType({"default": GatewayConfig()})
    )
    providers: Mapping[str, ProviderConfig] = field(default_factory=lambda: MappingProxyType({}))
    dlp: DlpConfig = field(default_factory=DlpConfig)
    logs: LogsConfig = field(default_factory=LogsConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    keys: KeysConfig = field(default_factory=KeysConfig)
    state: StateConfig = field(default_factory=StateConfig)
    pricing: Mapping[str, Mapping[str, ModelPrice]] = field(default_factory=lambda: MappingProxyType({}))
    # The resolved DLP rules: [dlp].rules, then the preset's (filled in by the loader).
    policy_rules: tuple[PolicyRule, ...] = field(default=(), metadata={"internal": True})
    source: str = field(default="<defaults>", metadata={"internal": True})
