"""Who a rate limit or budget counts against: the values of a rule's ``per`` for a call.

``gateway`` is the gateway itself; ``key`` the provider credential (the client's own or
the stored one injected for it); ``user`` and ``group`` come from the verified identity;
``metadata.NAME`` from the request's ``weir-metadata``. A call without the value (an
anonymous caller, no such metadata) is not counted by that rule. Values are hashed
whole into counter keys: a credential is never stored, and never cut to a prefix.
"""

from __future__ import annotations

import hashlib

import orjson

from gateway.call import Call
from gateway.headers import client_credential


def subjects(call: Call, per: str) -> list[str]:
    if per == "gateway":
        return [call.gateway]
    if per == "user":
        return [call.identity.user] if call.identity.user else []
    if per == "group":
        return list(call.identity.groups)
    if per == "key":
        credential = client_credential(call.request.headers)
        if credential is not None:
            return ["client:" + credential]
        stored = call.runtime.stored_keys.get(call.provider.name) if call.provider is not None else None
        return ["stored:" + stored.key] if stored is not None else []
    name = per.removeprefix("metadata.")
    if call.metadata is None:
        return []
    value = orjson.loads(call.metadata).get(name)
    return [] if value is None else [str(value)]


def counter_key(kind: str, gateway: str, rule: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()
    return f"{kind}:{gateway}:{rule}:{digest}"


def describe(per: str) -> str:
    """How a 429 names whose limit it was, without naming the value (it may be a key)."""
    if per.startswith("metadata."):
        return f"this {per} value"
    return {"gateway": "this gateway", "key": "this key", "user": "this user", "group": "one of your groups"}[per]
