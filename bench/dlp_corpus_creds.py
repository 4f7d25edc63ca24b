"""Positives for credentials that are not one vendor's token: AWS key pairs, private keys, JWTs,
connection strings, URLs with a password, password assignments and unprefixed secrets.

AWS pairs always travel together (the secret key has no prefix, only its context names it),
and so do the contexts here: credentials files, boto3 code, CI settings, Terraform.
"""

from __future__ import annotations

from bench.dlp_corpus_base import Draft, Gen
from bench.dlp_corpus_slots import Template, fill_many

SRC = ("SOURCE_CODE",)

_AWS: tuple[Template | str, ...] = (
    "~/.aws/credentials:\n[default]\naws_access_key_id = {{aws_id}}\naws_secret_access_key = {{aws_secret}}\n"
    "region = {{region}}\n\nWhy does the CLI say InvalidClientTokenId?",
    "export AWS_ACCESS_KEY_ID={{aws_id}}\nexport AWS_SECRET_ACCESS_KEY={{aws_secret}}\naws s3 ls\n"
    "An error occurred (SignatureDoesNotMatch)",
    Template(
        'import boto3\n\nsession = boto3.Session(\n    aws_access_key_id="{{aws_id}}",\n'
        '    aws_secret_access_key="{{aws_secret}}",\n    region_name="{{region}}",\n)\n'
        's3 = session.client("s3")\nprint(s3.list_buckets())\n\nthis hangs forever, help',
        SRC,
    ),
    'provider "aws" {\n  region     = "{{region}}"\n  access_key = "{{aws_id}}"\n  secret_key = "{{aws_secret}}"\n}\n'
    "terraform plan fails with 403",
    "Bug report: uploads fail after the key rotation.\nConfig dump:\n  storage.backend: s3\n"
    "  storage.s3.access_key_id: {{aws_id}}\n  storage.s3.secret_access_key: {{aws_secret}}\n  storage.s3.bucket: "
    "exports-{{region}}",
    '{"AccessKeyId": "{{aws_id}}", "SecretAccessKey": "{{aws_secret}}", "Expiration": "2024-07-01T12:00:00Z"}\n'
    "what does sts return here and how long is it valid?",
    "AWS_ACCESS_KEY_ID: {{aws_id}}\nAWS_SECRET_ACCESS_KEY: {{aws_secret}}\nAWS_DEFAULT_REGION: {{region}}\n"
    "(from our docker-compose env section) - is the region right for Frankfurt?",
    "The security token included in the request is invalid. (Service: Amazon S3; Access Key: {{aws_id}}) "
    "- which IAM user owns this key?",
)
_PEM: tuple[Template | str, ...] = (
    "Why does ssh say 'invalid format' for this key?\n\n{{pem}}",
    "Here is the deploy key for the CI runner, add it to the secrets store:\n{{pem}}\n",
    '{\n  "type": "service_account",\n  "project_id": "analytics-prod",\n  "private_key": "{{pem_json}}",\n'
    '  "token_uri": "https://oauth2.googleapis.com/token"\n}\nthe GCP client says the key is malformed',
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-tls\ntype: kubernetes.io/tls\nstringData:\n"
    "  tls.key: |\n    {{pem_yaml}}\n",
    "openssl rsa -in server.key -check fails. Contents of server.key:\n{{pem}}",
    Template(
        'SIGNING_KEY = """{{pem}}"""\n\n\ndef sign(payload: bytes) -> bytes:\n'
        "    key = serialization.load_pem_private_key(SIGNING_KEY.encode(), password=None)\n"
        "    return key.sign(payload, padding.PKCS1v15(), hashes.SHA256())\n",
        SRC,
    ),
)
_JWT: tuple[Template | str, ...] = (
    "GET /api/v2/orders HTTP/1.1\nHost: api.{{domain}}\nAuthorization: Bearer {{jwt}}\n\nwhy 401?",
    "Why is this token rejected as expired? {{jwt}}",
    "decode this JWT and tell me the scopes: {{jwt}}",
    "curl -H 'Authorization: Bearer {{jwt}}' https://api.{{domain}}/v1/me",
    "Set-Cookie: session={{jwt}}; Path=/; HttpOnly; Secure\nIs this cookie configured safely?",
    Template(
        "const token = '{{jwt}}';\n\nfetch('/api/profile', {\n  headers: { Authorization: `Bearer ${token}` },\n"
        "}).then((r) => r.json());\n",
        SRC,
    ),
)
_DSN: tuple[Template | str, ...] = (
    "DATABASE_URL={{dsn}}\nREDIS_TTL=600\n\nthe migration step can't connect, what's wrong?",
    Template(
        'from sqlalchemy import create_engine, text\n\nengine = create_engine("{{dsn}}")\n'
        "with engine.connect() as conn:\n"
        '    rows = conn.execute(text("select count(*) from orders")).all()\n',
        SRC,
    ),
    "psql '{{dsn}}' fails with: SSL connection has been closed unexpectedly",
    '{\n  "ConnectionStrings": {\n    "Default": "{{dsn}}"\n  }\n}\nappsettings.json - EF Core times out',
    "Can you debug this? The worker logs 'connection refused' on startup.\n\nsettings:\n  broker_url: {{dsn}}\n"
    "  result_backend: rpc://",
    Template(
        'package main\n\nimport (\n\t"database/sql"\n\t_ "github.com/lib/pq"\n)\n\nfunc open() (*sql.DB, error) {\n'
        '\treturn sql.Open("postgres", "{{dsn}}")\n}\n',
        SRC,
    ),
)
_URL: tuple[Template | str, ...] = (
    "pip install --index-url {{url_creds}} internal-utils\nERROR: 401 Unauthorized",
    "git remote -v shows {{url_creds}} - how do I switch it to SSH?",
    "wget {{url_creds}}report.csv keeps timing out",
    "Our Jenkins job clones from {{url_creds}} and it broke after the password change.",
)
_PASSWORD: tuple[Template | str, ...] = (
    "DB_HOST={{host}}\nDB_USER=app\nDB_PASSWORD={{pw}}\n\nwhy can't the container reach postgres?",
    "database:\n  host: {{host}}\n  port: 5432\n  username: orders\n  password: {{pw}}\n",
    '{"smtp": {"host": "smtp.{{domain}}", "user": "alerts", "password": "{{pw}}"}}\nwhy does auth fail?',
    "spring.datasource.url=jdbc:mysql://{{host}}:3306/shop\nspring.datasource.username=shop\n"
    "spring.datasource.password={{pw}}",
    "the admin password for the staging router is {{pw}}, can you write the steps to change the SSID?",
    "PGPASSWORD={{pw}} psql -h {{host}} -U app -c 'select 1' hangs",
    "[mysql]\nuser=backup\npassword={{pw}}\n\nis my .my.cnf readable by the cron job?",
)
_SECRET: tuple[Template | str, ...] = (
    Template(
        'DEBUG = False\nALLOWED_HOSTS = ["api.{{domain}}"]\nSECRET_KEY = "{{secret}}"\n'
        'DATABASES = {"default": env.db("DATABASE_URL")}\n\nis this settings.py production-ready?',
        SRC,
    ),
    "JWT_SECRET={{secret}}\nJWT_TTL=3600\n\nhow long should the secret be?",
    "oauth:\n  client_id: reporting-service\n  client_secret: {{secret}}\n  token_url: https://sso.{{domain}}/token",
    "curl -H 'X-Api-Key: {{secret}}' https://internal.{{domain}}/v1/metrics",
    "Webhook signing secret for the partner integration: {{secret}} - store it in Vault please.",
    "DATADOG_API_KEY={{secret}}\nDD_SITE=datadoghq.eu",
    "HMAC_KEY = {{secret}} (from the payments service config) - is SHA-256 enough for the signatures?",
)


def cases(g: Gen) -> list[Draft]:
    """About 1,200 credential positives outside the per-vendor set."""
    return [
        *fill_many(g, _AWS, 176, "key_aws"),
        *fill_many(g, _PEM, 170, "private_key"),
        *fill_many(g, _JWT, 170, "jwt"),
        *fill_many(g, _DSN, 110, "connection_string"),
        *fill_many(g, _URL, 90, "url_credentials"),
        *fill_many(g, _PASSWORD, 105, "password_assignment"),
        *fill_many(g, _SECRET, 105, "generic_secret"),
    ]
