"""Positives for vendor credentials: keys pasted in .env files, manifests, code, curl lines and chats.

Each vendor has a spec: its slot, the variable names people give it, its name, and a few
templates only that vendor has (``.npmrc``, ``.pypirc``, a Slack ``curl``). Every vendor also
goes through the shared contexts below, where ``@KEY``, ``@VAR`` and ``@VENDOR`` are replaced
before the slots are filled. Templates whose text is a program of three or more lines declare
SOURCE_CODE.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.dlp_corpus_base import Draft, Gen
from bench.dlp_corpus_slots import Template, fill

SRC = ("SOURCE_CODE",)
URL = ("URL_CREDENTIALS",)  # a token in a URL's userinfo is both

_SHARED: tuple[Template, ...] = (
    Template("Here's my .env, why isn't the app picking it up?\n\nNODE_ENV=production\nPORT=8080\n@VAR=@KEY\n"),
    Template("export @VAR=@KEY\n./deploy.sh staging\n\nThe deploy script says the @VENDOR credentials are invalid."),
    Template(
        'env:\n  - name: LOG_LEVEL\n    value: info\n  - name: @VAR\n    value: "@KEY"\n\n'
        "Is this part of the deployment manifest valid?"
    ),
    Template(
        'Can you add retries to this?\n\n```python\nimport requests\n\n@VAR = "@KEY"\n\n\ndef fetch(path):\n'
        '    resp = requests.get(BASE_URL + path, headers={"Authorization": f"Bearer {@VAR}"}, timeout=10)\n'
        "    resp.raise_for_status()\n    return resp.json()\n```",
        SRC,
    ),
    Template(
        "const client = new ApiClient({\n  apiKey: '@KEY',\n  timeout: 30_000,\n});\n\n"
        "export async function listItems() {\n  return client.get('/items');\n}\n\nWhy does this return 401 in prod?",
        SRC,
    ),
    Template("I keep getting 401 from @VENDOR with my key @KEY - is it expired or was it revoked?"),
    Template("2024-06-11 09:14:55,102 DEBUG @VENDOR client: using @VAR=@KEY\nWhat does this debug line mean?"),
    Template('{\n  "service": "billing",\n  "@VAR": "@KEY",\n  "timeout": 30\n}\nConvert this config to TOML.'),
    Template(
        "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      @VAR: @KEY\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: make deploy\nWhy does my workflow fail at the @VENDOR step?"
    ),
    Template("docker run -e @VAR=@KEY -p 8080:8080 worker:latest\nthe container exits immediately, why?"),
)


@dataclass(frozen=True, slots=True)
class Vendor:
    slot: str
    vendor: str
    vars: tuple[str, ...]
    own: tuple[Template, ...]


_VENDORS: tuple[Vendor, ...] = (
    Vendor(
        "openai",
        "OpenAI",
        ("OPENAI_API_KEY", "OPENAI_KEY", "openai_api_key"),
        (
            Template(
                'from openai import OpenAI\n\nclient = OpenAI(api_key="@KEY")\nresp = client.chat.completions.create(\n'
                '    model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]\n)\n'
                "print(resp.choices[0].message.content)\n\nwhy is this so slow?",
                SRC,
            ),
            Template(
                'curl https://api.openai.com/v1/chat/completions -H "Authorization: Bearer @KEY" '
                '-H "Content-Type: application/json" -d \'{"model": "gpt-4o", "messages": []}\''
            ),
        ),
    ),
    Vendor(
        "anthropic",
        "Anthropic",
        ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY"),
        (
            Template(
                "curl https://api.anthropic.com/v1/messages -H 'x-api-key: @KEY' "
                "-H 'anthropic-version: 2023-06-01' -H 'content-type: application/json'"
            ),
            Template(
                'import anthropic\n\nclient = anthropic.Anthropic(api_key="@KEY")\nmsg = client.messages.create(\n'
                '    model="claude-3-5-sonnet-latest", max_tokens=512, messages=history\n)\n',
                SRC,
            ),
        ),
    ),
    Vendor(
        "github",
        "GitHub",
        ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"),
        (
            Template("git remote set-url origin https://x-access-token:@KEY@github.com/platform/api.git", URL),
            Template("echo @KEY | gh auth login --with-token\nerror: token is missing required scopes"),
        ),
    ),
    Vendor(
        "gitlab",
        "GitLab",
        ("GITLAB_TOKEN", "CI_JOB_TOKEN_OVERRIDE", "GL_TOKEN"),
        (
            Template('curl --header "PRIVATE-TOKEN: @KEY" "https://gitlab.com/api/v4/projects?owned=true"'),
            Template("git clone https://oauth2:@KEY@gitlab.com/platform/infra.git", URL),
        ),
    ),
    Vendor(
        "slack",
        "Slack",
        ("SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_APP_TOKEN"),
        (
            Template(
                'from slack_sdk import WebClient\n\nclient = WebClient(token="@KEY")\n'
                'client.chat_postMessage(channel="#deploys", text="Release finished")\n',
                SRC,
            ),
            Template('curl -H "Authorization: Bearer @KEY" https://slack.com/api/conversations.list'),
        ),
    ),
    Vendor(
        "slack_hook",
        "Slack",
        ("SLACK_WEBHOOK_URL", "SLACK_WEBHOOK"),
        (
            Template("curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Deploy finished\"}' @KEY"),
            Template(
                'import requests\n\nWEBHOOK = "@KEY"\n\ndef notify(text):\n'
                '    requests.post(WEBHOOK, json={"text": text}, timeout=5)\n',
                SRC,
            ),
        ),
    ),
    Vendor(
        "stripe",
        "Stripe",
        ("STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET"),
        (
            Template(
                'import stripe\n\nstripe.api_key = "@KEY"\nintent = stripe.PaymentIntent.create(amount=2000, '
                'currency="eur")\nprint(intent.status)\n',
                SRC,
            ),
            Template("curl https://api.stripe.com/v1/charges -u @KEY: -d limit=3"),
        ),
    ),
    Vendor(
        "gkey",
        "Google Maps",
        ("GOOGLE_API_KEY", "GOOGLE_MAPS_API_KEY", "FIREBASE_API_KEY"),
        (
            Template("https://maps.googleapis.com/maps/api/geocode/json?address=Lyon&key=@KEY returns REQUEST_DENIED"),
            Template('<script src="https://maps.googleapis.com/maps/api/js?key=@KEY&callback=initMap" async></script>'),
        ),
    ),
    Vendor(
        "azure",
        "Azure OpenAI",
        ("AZURE_OPENAI_API_KEY", "AZURE_API_KEY", "AZURE_SPEECH_KEY"),
        (
            Template(
                "curl https://westeurope.api.cognitive.microsoft.com/text/analytics/v3.1/sentiment "
                '-H "Ocp-Apim-Subscription-Key: @KEY" -H "Content-Type: application/json"'
            ),
            Template(
                'from openai import AzureOpenAI\n\nclient = AzureOpenAI(\n    api_key="@KEY",\n'
                '    api_version="2024-06-01",\n    azure_endpoint="https://contoso-ai.openai.azure.com/",\n)\n',
                SRC,
            ),
        ),
    ),
    Vendor(
        "twilio",
        "Twilio",
        ("TWILIO_API_KEY", "TWILIO_API_KEY_SID"),
        (
            Template(
                'from twilio.rest import Client\n\nclient = Client("@KEY", api_secret, account_sid)\n'
                'client.messages.create(to=recipient, from_=sender, body="Your code is ready")\n',
                SRC,
            ),
        ),
    ),
    Vendor(
        "sendgrid",
        "SendGrid",
        ("SENDGRID_API_KEY", "SENDGRID_KEY"),
        (
            Template(
                'from sendgrid import SendGridAPIClient\n\nsg = SendGridAPIClient("@KEY")\n'
                "response = sg.send(message)\n"
                "print(response.status_code)\n",
                SRC,
            ),
        ),
    ),
    Vendor(
        "npm",
        "npm",
        ("NPM_TOKEN", "NODE_AUTH_TOKEN"),
        (Template("my .npmrc:\n//registry.npmjs.org/:_authToken=@KEY\nalways-auth=true\n\nnpm publish gives E403"),),
    ),
    Vendor(
        "pypi",
        "PyPI",
        ("PYPI_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN"),
        (
            Template("[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = @KEY\n"),
            Template("twine upload -u __token__ -p @KEY dist/*\nHTTPError: 403 Forbidden"),
        ),
    ),
)


def _render(text: str, v: Vendor, var: str) -> str:
    return text.replace("@KEY", "{{" + v.slot + "}}").replace("@VAR", var).replace("@VENDOR", v.vendor)


def vendor_cases(g: Gen, per_vendor: int = 168) -> list[Draft]:
    """``per_vendor`` drafts per vendor, cycling through its own templates and the shared ones."""
    out: list[Draft] = []
    for v in _VENDORS:
        templates = (*v.own, *_SHARED)
        kind = f"key_{v.slot}"
        for i in range(per_vendor):
            tpl = templates[i % len(templates)]
            out.append(fill(g, Template(_render(tpl.text, v, g.pick(v.vars)), tpl.extra), kind))
    return out
