"""Templates with ``{{slot}}`` holes, and the slots that fill them.

A slot either carries an entry (``{{card}}`` is a CREDIT_CARD) or is neutral (``{{company}}``,
``{{order_id}}``). A filled template's expected entries are exactly the entries of the slots it
used plus those the template declares for its own text (``SOURCE_CODE`` for a code paste, the
intent entries for a jailbreak), so a template can only be mislabelled by its fixed text holding
personal data or secrets, and none does. The same slot named twice in one template gets the same
value; ``{{name2}}`` is a second, different name.

Double braces are used because code and JSON templates are full of single ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bench import dlp_corpus_keys as keys
from bench import dlp_corpus_values as values
from bench.dlp_corpus_base import HEX, Draft, Gen, distinct, draft

SlotFn = Callable[[Gen, str], str]
_HOLE = re.compile(r"\{\{(\w+)\}\}")

# Neutral vocabulary: no surnames in company names, no first names in city names.
COMPANIES = (
    "Northwind Traders",
    "Blue Harbor Analytics",
    "Kestrel Logistics",
    "Lumen Health",
    "Quarry Systems",
    "Tidewater Insurance",
    "Brightpath Learning",
    "Ironclad Storage",
    "Cobalt Retail",
    "Summit Foods",
)
DOMAINS = ("northwind.io", "blueharbor.dev", "kestrel-logistics.com", "lumenhealth.net", "quarrysys.com")
CITIES = ("Chicago", "Denver", "Leeds", "Hamburg", "Lyon", "Valencia", "Porto Alegre", "Turin", "Austin", "Bristol")
PRODUCTS = ("the mobile app", "the billing portal", "our checkout page", "the reporting dashboard", "the API")


def _order_id(g: Gen, _: str) -> str:
    return g.pick((f"ORD-{g.digits(6)}", f"#{g.digits(5)}", f"{g.digits(3)}-{g.digits(7)}-{g.digits(7)}"))


def _host(g: Gen, _: str) -> str:
    role, stage = g.pick(("db", "pg", "mysql", "cache", "api", "queue")), g.pick(("prod", "stg", "dev"))
    return f"{role}-{stage}-{g.rng.randint(1, 9)}"


def _dsn(g: Gen, _: str) -> str:
    """A database or broker connection string with an inline password."""
    user, pw, host = g.pick(("app", "svc_orders", "admin", "etl", "report_ro")), keys.password(g), _host(g, "")
    domain = g.pick(DOMAINS)
    return g.pick(
        (
            f"postgresql://{user}:{pw}@{host}.{domain}:5432/orders",
            f"postgres://{user}:{pw}@{host}.internal:5432/app_{g.pick(('prod', 'main'))}",
            f"mysql://{user}:{pw}@{host}.{domain}:3306/shop",
            f"mongodb+srv://{user}:{pw}@cluster0.{g.chars('abcdefghijklmnopqrstuvwxyz0123456789', 5)}.mongodb.net/",
            f"redis://default:{pw}@{host}.{domain}:6379/0",
            f"amqp://{user}:{pw}@{host}.{domain}:5672/%2F",
            f"Server=tcp:{host}.database.windows.net,1433;Database=sales;User ID={user};Password={pw};Encrypt=True;",
            f"jdbc:postgresql://{host}.{domain}:5432/billing?user={user}&password={pw}",
        )
    )


def _url_creds(g: Gen, _: str) -> str:
    """An http(s)/ftp URL with user:password inline (database URLs are CONNECTION_STRING instead)."""
    user, pw = g.pick(("deploy", "ci-bot", "jenkins", "svc-backup", "admin")), keys.password(g)
    domain = g.pick(DOMAINS)
    return g.pick(
        (
            f"https://{user}:{pw}@git.{domain}/platform/api.git",
            f"https://{user}:{pw}@registry.{domain}/v2/",
            f"ftp://{user}:{pw}@files.{domain}/exports/",
            f"https://{user}:{pw}@nexus.{domain}/repository/pypi/simple",
        )
    )


def _drivers_license(g: Gen, _: str) -> str:
    return values.drivers_license(g)[0]


def _drivers_license_state(g: Gen, _: str) -> str:
    number, state = values.drivers_license(g)
    return f"{number} ({state})"


def _plain(fn: Callable[[Gen], str]) -> SlotFn:
    return lambda g, _locale: fn(g)


# slot name -> (entry or None, generator)
SLOTS: dict[str, tuple[str | None, SlotFn]] = {
    "name": ("PERSON_NAME", values.person_name),
    "name2": ("PERSON_NAME", values.person_name),
    "email": ("EMAIL", values.email),
    "email2": ("EMAIL", values.email),
    "phone": ("PHONE_NUMBER", values.phone),
    "phone2": ("PHONE_NUMBER", values.phone),
    "card": ("CREDIT_CARD", lambda g, _: values.format_card(g, values.card_number(g))),
    "ssn": ("US_SSN", lambda g, _: values.ssn(g, g.pick(("-", "-", "-", " ")))),
    "ssn_plain": ("US_SSN", lambda g, _: values.ssn(g, "")),
    "itin": ("US_ITIN", _plain(values.itin)),
    "iban": ("IBAN", lambda g, _: values.format_iban(g, values.iban(g))),
    "ip": ("IP_ADDRESS", _plain(values.ipv4)),
    "dob": ("DATE_OF_BIRTH", values.birth_date),
    "passport": ("PASSPORT_NUMBER", values.passport),
    "dl": ("DRIVERS_LICENSE", _drivers_license),
    "dl_state": ("DRIVERS_LICENSE", _drivers_license_state),
    "address": ("POSTAL_ADDRESS", values.postal_address),
    "account": ("BANK_ACCOUNT", _plain(values.bank_account)),
    "routing": ("ABA_ROUTING", _plain(values.aba_routing)),
    "bic": ("SWIFT_BIC", _plain(values.swift_bic)),
    "amount": ("MONETARY_AMOUNT", values.amount),
    "openai": ("OPENAI_API_KEY", _plain(keys.openai_key)),
    "anthropic": ("ANTHROPIC_API_KEY", _plain(keys.anthropic_key)),
    "aws_id": ("AWS_ACCESS_KEY", _plain(keys.aws_access_key)),
    "aws_secret": ("AWS_SECRET_KEY", _plain(keys.aws_secret_key)),
    "github": ("GITHUB_TOKEN", _plain(keys.github_token)),
    "gitlab": ("GITLAB_TOKEN", _plain(keys.gitlab_token)),
    "slack": ("SLACK_TOKEN", _plain(keys.slack_token)),
    "slack_hook": ("SLACK_WEBHOOK", _plain(keys.slack_webhook)),
    "stripe": ("STRIPE_KEY", _plain(keys.stripe_key)),
    "gkey": ("GOOGLE_API_KEY", _plain(keys.google_api_key)),
    "azure": ("AZURE_KEY", _plain(keys.azure_key)),
    "twilio": ("TWILIO_KEY", _plain(keys.twilio_key)),
    "sendgrid": ("SENDGRID_KEY", _plain(keys.sendgrid_key)),
    "npm": ("NPM_TOKEN", _plain(keys.npm_token)),
    "pypi": ("PYPI_TOKEN", _plain(keys.pypi_token)),
    "pem": ("PRIVATE_KEY", _plain(keys.private_key)),
    # The same block as a JSON string (service-account files) and indented under a YAML key.
    "pem_json": ("PRIVATE_KEY", lambda g, _: keys.private_key(g).replace("\n", "\\n") + "\\n"),
    "pem_yaml": ("PRIVATE_KEY", lambda g, _: keys.private_key(g).replace("\n", "\n    ")),
    "jwt": ("JWT", _plain(keys.jwt)),
    "pw": ("PASSWORD_ASSIGNMENT", _plain(keys.password)),
    "secret": ("GENERIC_SECRET", _plain(keys.generic_secret)),
    "dsn": ("CONNECTION_STRING", _dsn),
    "url_creds": ("URL_CREDENTIALS", _url_creds),
    # Neutral slots.
    "company": (None, lambda g, _: g.pick(COMPANIES)),
    "domain": (None, lambda g, _: g.pick(DOMAINS)),
    "city": (None, lambda g, _: g.pick(CITIES)),
    "product": (None, lambda g, _: g.pick(PRODUCTS)),
    "order_id": (None, _order_id),
    "host": (None, _host),
    "ticket": (None, lambda g, _: f"{g.pick(('SUP', 'OPS', 'HR', 'FIN'))}-{g.rng.randint(100, 9999)}"),
    "state": (None, lambda g, _: g.pick(("CA", "NY", "TX", "FL", "WA", "IL"))),
    "sha": (None, lambda g, _: g.chars(HEX, 40)),
    "uuid": (None, lambda g, _: g.fake().uuid4()),
    "n": (None, lambda g, _: str(g.rng.randint(2, 12))),
    "region": (None, lambda g, _: g.pick(("us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-southeast-2"))),
}


@dataclass(frozen=True, slots=True)
class Template:
    """Text with ``{{slot}}`` holes and the entries its own wording carries (e.g. SOURCE_CODE)."""

    text: str
    extra: tuple[str, ...] = ()


def fill(g: Gen, template: Template | str, kind: str, locale: str = "en_US", benign: bool = False) -> Draft:
    """Fill every hole; the expected set is the holes' entries plus the template's own."""
    tpl = template if isinstance(template, Template) else Template(template)
    chosen: dict[str, str] = {}
    entries: list[str] = list(tpl.extra)

    def value(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot not in chosen:
            entry, fn = SLOTS[slot]
            chosen[slot] = fn(g, locale)
            if entry is not None:
                entries.append(entry)
        return chosen[slot]

    text = _HOLE.sub(value, tpl.text)
    if benign and any(e != "SOURCE_CODE" for e in entries):
        raise ValueError(f"benign {kind} template uses sensitive slots: {entries}")
    return draft(text, entries, kind, benign)


def fill_many(
    g: Gen, templates: Sequence[Template | str], count: int, kind: str, locales: Sequence[str] = ("en_US",)
) -> list[Draft]:
    """``count`` drafts, walking the templates in order so each is used about equally."""
    return distinct(count, lambda i: fill(g, templates[i % len(templates)], kind, g.pick(locales)))


def fill_localized(g: Gen, table: Mapping[str, Sequence[Template | str]], count: int, kind: str) -> list[Draft]:
    """``count`` drafts over per-locale template lists: pick a locale (weighted by how many templates
    it has), then walk its templates."""
    locales = list(table)
    weights = [len(table[loc]) for loc in locales]
    used = dict.fromkeys(locales, 0)

    def make(_: int) -> Draft:
        loc = g.rng.choices(locales, weights=weights)[0]
        used[loc] += 1
        return fill(g, table[loc][(used[loc] - 1) % len(table[loc])], kind, loc)

    return distinct(count, make)


def holes(text: str) -> list[str]:
    """The slot names a template uses, in order (for tests)."""
    return _HOLE.findall(text)
