"""Hard negatives that look like structured secrets or PII but are not.

UUIDs, git SHAs, content hashes, order and tracking numbers, epoch timestamps, version strings,
invoice ids, IMEIs, public keys and certificates, inline images, and the documentation values
detectors must know: test card numbers in a payments-doc context, AWS's documented example key
pair, placeholders (``sk-...``, ``<YOUR_API_KEY>``), and config that references a secret without
holding it.

Test cards are labelled NOT expected (benign). Detectors may report them at LOW confidence, so at
the default MEDIUM threshold they must stay silent; at ``--threshold low`` they count as false
positives by design.
"""

from __future__ import annotations

import base64
import string
from collections.abc import Callable

from bench.dlp_corpus_base import B64URL, HEX, Draft, Gen, distinct, draft
from bench.dlp_corpus_values import TEST_CARDS, luhn_valid


def _uuid(g: Gen) -> str:
    u = g.fake().uuid4()
    return g.pick(
        (
            f"request_id={u} status=200 latency_ms={g.rng.randint(3, 900)}",
            f"The job {u} has been stuck in PENDING for an hour, how do I cancel it?",
            f"X-Correlation-ID: {u}\nX-Request-Start: t={g.digits(10)}",
            f"DELETE /api/v1/sessions/{u} returns 404 even though the session exists",
        )
    )


def _sha(g: Gen) -> str:
    full, short = g.chars(HEX, 40), g.chars(HEX, 7)
    return g.pick(
        (
            f"git cherry-pick {full} fails with a conflict in setup.cfg, how do I resolve it?",
            f"{short} Fix race in scheduler\n{g.chars(HEX, 7)} Bump version\n{g.chars(HEX, 7)} Add retries\n"
            "Squash these three commits into one message.",
            f"The build broke after commit {full}. What does 'detached HEAD' mean here?",
            f"Dependabot pinned the action to {full} - is pinning by SHA better than a tag?",
        )
    )


def _hash(g: Gen) -> str:
    sha256, md5 = g.chars(HEX, 64), g.chars(HEX, 32)
    integrity = base64.b64encode(g.rng.randbytes(64)).decode()
    return g.pick(
        (
            f"sha256: {sha256}  release-2.4.1.tar.gz\nThe checksum doesn't match after download, why?",
            f'ETag: "{md5}"\nCache-Control: max-age=3600\nWhy does the CDN keep serving the old file?',
            f"image: registry.internal/api@sha256:{sha256}\nHow do I find which tag this digest belongs to?",
            f'"integrity": "sha512-{integrity}"\nnpm ci says EINTEGRITY, what now?',
            f"md5sum of the export is {md5}, the vendor says it should be different. How do I compare?",
        )
    )


def _order(g: Gen) -> str:
    ups = f"1Z{g.chars(string.ascii_uppercase + string.digits, 6)}{g.digits(10)}"
    usps = " ".join(["9400", *(g.digits(4) for _ in range(4)), g.digits(2)])
    amazon = f"{g.digits(3)}-{g.digits(7)}-{g.digits(7)}"
    return g.pick(
        (
            f"Where is my order {amazon}? It says delivered but nothing arrived.",
            f"UPS tracking {ups} hasn't moved in four days.",
            f"USPS tracking number: {usps}. Write a complaint to the carrier.",
            f"FedEx shipment {g.digits(4)} {g.digits(4)} {g.digits(4)} is held at customs, what documents are needed?",
            f"DHL waybill {g.digits(10)} - can you draft a claim for a damaged parcel?",
            f"Order ORD-{g.digits(8)} was cancelled by mistake, how do I restore it in the admin panel?",
        )
    )


def _timestamp(g: Gen) -> str:
    epoch = 1_600_000_000 + g.rng.randint(0, 150_000_000)
    return g.pick(
        (
            f"Convert the epoch timestamp {epoch} to UTC.",
            f"created_at={epoch}{g.digits(3)} updated_at={epoch + 60}{g.digits(3)} - why are these in milliseconds?",
            f"2024-0{g.rng.randint(1, 9)}-1{g.rng.randint(0, 9)}T0{g.rng.randint(0, 9)}:15:42.118Z WARN worker "
            "heartbeat missed\nWhat does this log line mean?",
            f"The cron `0 3 * * *` ran at {epoch} instead of 03:00, timezone issue?",
        )
    )


def _version(g: Gen) -> str:
    a, b, c, d = g.rng.randint(1, 9), g.rng.randint(0, 30), g.rng.randint(0, 20), g.rng.randint(0, 200)
    return g.pick(
        (
            f"After upgrading from v{a}.{b}.{c} to v{a}.{b + 1}.0 the tests fail. What changed?",
            f"pip install 'django>={a}.{b},<{a + 1}.0' - is this constraint right?",
            f"Windows 10.0.19045.{g.rng.randint(1000, 4000)} update broke the VPN client.",
            f"Chrome {100 + b}.0.{6000 + d}.{c} shows a blank page on our site.",
            f"Our firmware version is {a}.{b}.{c}.{d}; the release notes say to skip it. Why?",
            f"release {a}.{b}.{c}-rc.{g.rng.randint(1, 5)} is tagged, write the changelog entry.",
        )
    )


def _invoice(g: Gen) -> str:
    year = g.rng.randint(2019, 2025)
    return g.pick(
        (
            f"Invoice INV-{year}-{g.digits(6)} is marked unpaid but we paid it - draft a note to accounts.",
            f"Please merge the PDFs for invoices {year}-{g.digits(4)} and {year}-{g.digits(4)}.",
            f"Rechnung Nr. RE-{year}-{g.digits(5)} fehlt im Archiv. Wie finde ich sie?",
            f"Facture n° F{year}{g.digits(5)} : pouvez-vous reformuler le message de relance ?",
            f"PO number PO-{g.digits(7)} doesn't match the invoice reference, which one wins?",
        )
    )


def _imei(g: Gen) -> str:
    while True:
        body = g.pick(("35", "86", "01")) + g.digits(12)
        for check in string.digits:
            if luhn_valid(body + check):
                return g.pick(
                    (
                        f"IMEI {body + check} shows as blacklisted, how do I check why?",
                        f"Device inventory: IMEI: {body + check}, model: field scanner, status: active",
                    )
                )


def _test_card(g: Gen) -> str:
    card = g.pick(TEST_CARDS)
    spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    return g.pick(
        (
            f"In Stripe test mode, use the test card {spaced} with any future expiry and any CVC. Why does my "
            "integration test still fail?",
            f"Our sandbox docs list {card} as the test Visa. Can you write the QA checklist for checkout?",
            f"For testing declines in the payment sandbox, enter test card {card} - what error should the UI show?",
            f"The Braintree sandbox rejects the test card number {spaced}. Is it only valid in production?",
        )
    )


_PLACEHOLDERS = (
    'client = OpenAI(api_key="sk-...")  # what goes here, the org id or the key?',
    "Set OPENAI_API_KEY=<YOUR_API_KEY> in the .env file, then run `make dev`.",
    "export ANTHROPIC_API_KEY=your-api-key-here",
    "The AWS docs use AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY - do I replace both?",
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx is in the template; what scopes does it need?",
    "Authorization: Bearer <token>\nWhere do I get the token from?",
    "SLACK_BOT_TOKEN=xoxb-your-bot-token\nSLACK_SIGNING_SECRET=\nWhich Slack app setting gives me these?",
    'stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc" is from the Stripe docs quickstart, right?',
    "password: ********\nusername: admin\n(redacted) - which config key sets the session timeout?",
    "DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME - what's the format for a Unix socket?",
    "The header looks like eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 - what does that part of a JWT contain?",
    "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\nWhich file should this go in for nginx?",
    "GOOGLE_MAPS_API_KEY=YOUR_KEY_HERE\nDo I need billing enabled for geocoding?",
    'api_key: "${OPENAI_API_KEY}"\nDoes docker compose expand this from my shell?',
)


def _placeholder(g: Gen) -> str:
    return g.pick(_PLACEHOLDERS)


def _secret_ref(g: Gen) -> str:
    return g.pick(
        (
            "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-credentials\n"
            "        key: password\nWhy is the pod stuck in CreateContainerConfigError?",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n"
            "Compose warns the variable is not set.",
            "- run: npm publish\n  env:\n    NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\nDoes this leak the token?",
            "STRIPE_SECRET_KEY=\nSENDGRID_API_KEY=\nSENTRY_DSN=\nThis is our .env.example, which ones are required?",
            'resource "aws_db_instance" "main" {\n  username = "app"\n  password = var.db_password\n}\n'
            "How do I mark the variable sensitive?",
            "password_file: /run/secrets/db_password\nIs a file mount safer than an env var?",
        )
    )


def _public_key(g: Gen) -> str:
    spki = base64.b64encode(bytes.fromhex("30820122300d06092a864886f70d01010105000382010f00") + g.rng.randbytes(270))
    body = spki.decode()
    pem = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    ssh = "AAAAC3NzaC1lZDI1NTE5AAAAI" + g.chars(B64URL.replace("-", "+").replace("_", "/"), 43)
    png = "iVBORw0KGgoAAAANSUhEUgAA" + base64.b64encode(g.rng.randbytes(g.rng.randint(300, 1500))).decode()
    return g.pick(
        (
            f"-----BEGIN PUBLIC KEY-----\n{pem}\n-----END PUBLIC KEY-----\nVerify a signature with this key in Go.",
            f"-----BEGIN CERTIFICATE-----\n{pem}\n-----END CERTIFICATE-----\nHow do I read the expiry date?",
            f"ssh-ed25519 {ssh} ci-runner\nAdd this public key to authorized_keys for the deploy user.",
            f'<img src="data:image/png;base64,{png}" alt="chart">\nWhy is the image not rendering in Outlook?',
        )
    )


GENERATORS: tuple[tuple[str, Callable[[Gen], str], int], ...] = (
    ("benign_uuid", _uuid, 60),
    ("benign_git_sha", _sha, 60),
    ("benign_hash", _hash, 60),
    ("benign_order_tracking", _order, 70),
    ("benign_timestamp", _timestamp, 50),
    ("benign_version", _version, 55),
    ("benign_invoice", _invoice, 40),
    ("benign_imei", _imei, 25),
    ("benign_test_card", _test_card, 60),
    ("benign_placeholder", _placeholder, 70),
    ("benign_secret_reference", _secret_ref, 50),
    ("benign_public_key", _public_key, 50),
)


_LEADS = ("", "", "", "Quick question: ", "Hi! ", "Context: ")
_TAILS = ("", "", "", " Thanks!", " Any ideas?", " (asking for a colleague)")


def cases(g: Gen) -> list[Draft]:
    """About 650 structured hard negatives, each text once."""
    out: list[Draft] = []
    for kind, fn, count in GENERATORS:

        def make(_: int, kind: str = kind, fn: Callable[[Gen], str] = fn) -> Draft:
            return draft(g.pick(_LEADS) + fn(g) + g.pick(_TAILS), (), kind, benign=True)

        out += distinct(count, make)
    return out
