"""JSON Web Tokens as gateway identities, verified with pyjwt under rules that close the
known holes.

- The algorithm comes from the gateway's allowlist, never from the token alone: ``none``
  cannot be configured, and each algorithm is tied to the kind of key that verifies it,
  so a token signed HS256 with the RSA *public* key (the RS256→HS256 confusion) finds no
  HMAC secret to be checked against.
- Keys come only from the configuration (a PEM file, a JWKS document on disk, an
  environment variable). A token whose header carries ``jku``, ``x5u``, ``jwk`` or
  ``x5c`` is refused outright; ``kid`` only selects among configured keys, and must be
  a plain identifier that names one.
- ``exp`` is required; ``nbf``/``iat`` are checked; ``iss`` and ``aud`` when configured;
  clock skew is bounded by ``leeway`` (at most five minutes).

Claims become an ``Identity``: ``sub`` (configurable) is the user, a groups claim (a
list, or a space-separated string) the groups, a tenant claim the tenant.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import jwt.types
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from config.schema import JwtConfig
from policies.policy import Identity

MAX_LEEWAY = 300.0
_KEY_REFERENCES = ("jku", "x5u", "jwk", "x5c")
_KID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_FAMILY = {"HS": "hmac", "RS": "rsa", "PS": "rsa", "ES": "ec", "Ed": "okp"}
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class TokenRejected(Exception):
    """A token that does not prove an identity; the message says why, without the token."""


class JwtSetupError(ValueError):
    """The JWT configuration cannot work (missing key, algorithm without a matching key)."""


def looks_like_jwt(token: str) -> bool:
    return _JWT_SHAPE.match(token) is not None


def _family(algorithm: str) -> str:
    return _FAMILY[algorithm[:2]]


def _key_family(key: Any) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec"
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return "okp"
    return "hmac" if isinstance(key, bytes | str) else "unknown"


@dataclass(frozen=True, slots=True)
class _Key:
    kid: str | None
    family: str
    key: Any


class JwtVerifier:
    def __init__(self, config: JwtConfig, where: str = "auth.jwt") -> None:
        self.config = config
        if not config.algorithms:
            raise JwtSetupError(f"{where}.algorithms: name at least one algorithm")
        if not 0 <= config.leeway <= MAX_LEEWAY:
            raise JwtSetupError(f"{where}.leeway: at most {MAX_LEEWAY:.0f}s of clock skew is allowed")
        self._keys = _load_keys(config, where)
        for algorithm in config.algorithms:
            if not any(k.family == _family(algorithm) for k in self._keys):
                kind = "secret_env" if _family(algorithm) == "hmac" else f"a {_family(algorithm).upper()} public key"
                raise JwtSetupError(f"{where}.algorithms: {algorithm} needs {kind}, and none is configured")

    def verify(self, token: str) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRejected("the token is not a well-formed JWT") from None
        for name in _KEY_REFERENCES:
            if name in header:
                raise TokenRejected(f"the token's header carries {name!r}; keys come only from the gateway's config")
        algorithm = header.get("alg")
        if algorithm not in self.config.algorithms:
            allowed = ", ".join(self.config.algorithms)
            raise TokenRejected(f"the token's algorithm {algorithm!r} is not allowed here (allowed: {allowed})")
        key = self._key_for(algorithm, header.get("kid"))
        options: jwt.types.Options = {"require": ["exp"], "verify_aud": bool(self.config.audience)}
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self.config.audience or None,
                issuer=self.config.issuer or None,
                leeway=float(self.config.leeway),
                options=options,
            )
        except jwt.ExpiredSignatureError:
            raise TokenRejected("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise TokenRejected("the token is not valid yet (nbf or iat is in the future)") from None
        except jwt.MissingRequiredClaimError as exc:
            raise TokenRejected(f"the token has no {exc.claim!r} claim, which is required") from None
        except jwt.InvalidAudienceError:
            raise TokenRejected("the token is for another audience (aud)") from None
        except jwt.InvalidIssuerError:
            raise TokenRejected("the token is from another issuer (iss)") from None
        except jwt.InvalidSignatureError:
            raise TokenRejected("the token's signature does not verify") from None
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(f"the token is not valid: {type(exc).__name__}") from None
        return self._identity(claims)

    def _key_for(self, algorithm: str, kid: Any) -> _Key:
        family = _family(algorithm)
        if kid is not None and (not isinstance(kid, str) or not _KID.match(kid)):
            raise TokenRejected("the token's kid is not a plain key identifier")
        candidates = [k for k in self._keys if k.family == family]
        if kid is not None and any(k.kid is not None for k in self._keys):
            candidates = [k for k in candidates if k.kid == kid]
            if not candidates:
                raise TokenRejected("the token's kid names no key configured for its algorithm")
        if not candidates:
            raise TokenRejected(f"no key is configured for {algorithm}")
        return candidates[0]

    def _identity(self, claims: dict[str, Any]) -> Identity:
        user = claims.get(self.config.user_claim)
        if not isinstance(user, str) or not user:
            raise TokenRejected(f"the token has no {self.config.user_claim!r} claim naming the user")
        groups = claims.get(self.config.groups_claim, ())
        if isinstance(groups, str):
            groups = groups.split()
        if not isinstance(groups, list | tuple) or not all(isinstance(g, str) for g in groups):
            raise TokenRejected(f"the token's {self.config.groups_claim!r} claim must be a list of strings")
        tenant = claims.get(self.config.tenant_claim)
        return Identity(user, tuple(groups), tenant if isinstance(tenant, str) else None)


def _load_keys(config: JwtConfig, where: str) -> list[_Key]:
    keys: list[_Key] = []
    if config.secret_env:
        secret = os.environ.get(config.secret_env, "")
        if len(secret) < 32:
            raise JwtSetupError(f"{where}.secret_env: set {config.secret_env} to a secret of at least 32 characters")
        keys.append(_Key(None, "hmac", secret.encode()))
    if config.public_key_file:
        keys.append(_Key(None, *_pem_key(Path(config.public_key_file), f"{where}.public_key_file")))
    if config.jwks_file:
        keys.extend(_jwks(Path(config.jwks_file), f"{where}.jwks_file"))
    if not keys:
        raise JwtSetupError(f"{where}: configure public_key_file, jwks_file or secret_env")
    return keys


def _pem_key(path: Path, where: str) -> tuple[str, Any]:
    try:
        key = load_pem_public_key(path.read_bytes())
    except OSError as exc:
        raise JwtSetupError(f"{where}: cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise JwtSetupError(f"{where}: {path} is not a PEM public key") from None
    family = _key_family(key)
    if family == "unknown":
        raise JwtSetupError(f"{where}: {path} holds a key type JWTs do not use")
    return family, key


def _jwks(path: Path, where: str) -> list[_Key]:
    try:
        document = json.loads(path.read_text())
        jwk_set = jwt.PyJWKSet.from_dict(document)
    except OSError as exc:
        raise JwtSetupError(f"{where}: cannot read {path}: {exc.strerror}") from None
    except (ValueError, jwt.PyJWKSetError, jwt.InvalidKeyError) as exc:
        raise JwtSetupError(f"{where}: {path} is not a usable JWKS document ({exc})") from None
    keys = []
    for jwk in jwk_set.keys:
        family = _key_family(jwk.key)
        if family == "hmac":  # a shared secret published in a key set is no secret
            raise JwtSetupError(f"{where}: {path} holds a symmetric ('oct') key; use secret_env for HMAC")
        keys.append(_Key(jwk.key_id, family, jwk.key))
    return keys
