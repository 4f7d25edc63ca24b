"""Source-code pastes without secrets, in a dozen languages, and code that talks about passwords.

A case here is a question around a program of three lines or more, so it is a SOURCE_CODE
positive, and nothing else: no key, no personal data. That makes these cases benign for every
other entry, which is what the benign-set false-positive rate measures. ``@E``/``@F`` vary the
entity and field names so pastes are not identical.

The "password talk" snippets are the hard negatives for PASSWORD_ASSIGNMENT and GENERIC_SECRET:
passwords read from the environment, a prompt, a secret manager or a hash, never written down.
"""

from __future__ import annotations

from bench.dlp_corpus_base import Draft, Gen, distinct, draft

_ENTITIES = ("order", "invoice", "shipment", "ticket", "report", "booking", "device", "sensor")
_FIELDS = ("status", "total", "created_at", "priority", "region", "owner_id", "updated_at")

SNIPPETS = (
    "def load_@Es(path):\n    with open(path) as fh:\n        rows = [json.loads(line) for line in fh]\n"
    "    return [r for r in rows if r['@F'] is not None]\n",
    "class @CRepository:\n    def __init__(self, session):\n        self.session = session\n\n"
    "    def get(self, @E_id: int) -> @C | None:\n        return self.session.get(@C, @E_id)\n",
    "export function group@Cs(items) {\n  return items.reduce((acc, item) => {\n    (acc[item.@F] ||= []).push(item);\n"
    "    return acc;\n  }, {});\n}\n",
    "func (s *@CService) List(ctx context.Context) ([]@C, error) {\n\trows, err := s.db.QueryContext(ctx, "
    '"SELECT id, @F FROM @Es")\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer rows.Close()\n'
    "\treturn scan@Cs(rows)\n}\n",
    "public List<@C> findOpen(List<@C> all) {\n    return all.stream()\n        .filter(x -> x.get@F() != null)\n"
    "        .sorted(Comparator.comparing(@C::getId))\n        .collect(Collectors.toList());\n}\n",
    "fn parse_@E(line: &str) -> Result<@C, ParseError> {\n    let mut parts = line.split(',');\n"
    "    let id = parts.next().ok_or(ParseError::Missing)?.parse()?;\n"
    "    Ok(@C { id, @F: parts.next().map(String::from) })\n}\n",
    "SELECT @F, COUNT(*) AS n\nFROM @Es\nWHERE created_at >= NOW() - INTERVAL '7 days'\n"
    "GROUP BY @F\nORDER BY n DESC;\n",
    '#!/usr/bin/env bash\nset -euo pipefail\nfor f in data/@Es/*.csv; do\n  echo "importing $f"\n'
    '  python import.py --kind @E "$f"\ndone\n',
    "static int count_@Es(const struct @E *items, size_t n) {\n    int total = 0;\n"
    "    for (size_t i = 0; i < n; i++) {\n"
    "        if (items[i].@F > 0) total++;\n    }\n    return total;\n}\n",
    "public async Task<IActionResult> Get(int id)\n{\n    var @E = await _db.@Cs.FindAsync(id);\n"
    "    if (@E == null) return NotFound();\n    return Ok(@E);\n}\n",
    "def summarize(@Es)\n  @Es.group_by(&:@F).transform_values(&:count)\nend\n\nputs summarize(@C.all)\n",
    "function @E_total(array $rows): float {\n    $sum = 0.0;\n    foreach ($rows as $row) {\n"
    "        $sum += $row['@F'];\n    }\n    return $sum;\n}\n",
    "data class @C(val id: Long, val @F: String?)\n\nfun List<@C>.open() = filter { it.@F != null }\n"
    "    .sortedBy { it.id }\n",
    "@app.get('/@Es/{@E_id}')\nasync def read_@E(@E_id: int, db: Session = Depends(get_db)):\n"
    "    item = db.get(@C, @E_id)\n    if item is None:\n"
    "        raise HTTPException(status_code=404)\n    return item\n",
)
_ASKS = (
    "Can you review this function?\n\n",
    "Why does this throw an error on empty input?\n\n",
    "Refactor this to be more idiomatic:\n\n",
    "Write unit tests for:\n\n",
    "Explain what this does, line by line:\n\n",
    "Add error handling and logging to this:\n\n",
    "Is there a performance problem here?\n\n",
    "",
)
_PASSWORD_TALK = (
    'import os\n\npassword = os.environ["@PW"]\nconn = psycopg.connect(host=host, user="app", password=password)\n',
    "from getpass import getpass\n\npassword = getpass('Password: ')\nif not check_password(user, password):\n"
    "    raise PermissionError('bad credentials')\n",
    "def set_password(self, raw_password: str) -> None:\n    if len(raw_password) < 12:\n"
    '        raise ValueError("password too short")\n    self.password_hash = bcrypt.hashpw(raw_password.encode(), '
    "bcrypt.gensalt())\n",
    "const password = process.env.@PW;\nif (!password) {\n  throw new Error('@PW is not set');\n}\n"
    "await login(user, password);\n",
    "secret = client.get_secret_value(SecretId='prod/db')['SecretString']\ncreds = json.loads(secret)\n"
    "engine = create_engine(url.set(password=creds['password']))\n",
    "api_key = os.getenv('OPENAI_API_KEY')\nif api_key is None:\n    sys.exit('set OPENAI_API_KEY first')\n"
    "client = OpenAI(api_key=api_key)\n",
    'String password = System.getenv("@PW");\nif (password == null) {\n'
    '    throw new IllegalStateException("@PW missing");\n}\n',
    "token = vault.read('secret/data/ci')['data']['token']\nheaders = {'Authorization': f'Bearer {token}'}\n"
    "resp = requests.get(url, headers=headers)\n",
)
_PASSWORD_ASKS = (
    "Is this a safe way to handle the password?\n\n",
    "Code review please, especially the secrets handling:\n\n",
    "Why is the password None in CI?\n\n",
    "How do I unit-test this without a real secret?\n\n",
    "Does this leak anything into the logs?\n\n",
    "",
)
_PW_VARS = ("DB_PASSWORD", "PGPASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD", "REDIS_PASSWORD", "MYSQL_PWD")


def code(g: Gen, template: str) -> str:
    entity = g.pick(_ENTITIES)
    return (
        template.replace("@Es", entity + "s")
        .replace("@E", entity)
        .replace("@C", entity.capitalize())
        .replace("@F", g.pick(_FIELDS))
    )


def cases(g: Gen) -> list[Draft]:
    """About 320 SOURCE_CODE cases that are benign for everything else."""

    def paste(i: int) -> Draft:
        body = code(g, SNIPPETS[i % len(SNIPPETS)])
        text = g.pick(_ASKS) + ("```\n" + body + "```" if g.chance(0.6) else body)
        return draft(text, ("SOURCE_CODE",), "source_code", benign=True)

    def password_talk(i: int) -> Draft:
        body = _PASSWORD_TALK[i % len(_PASSWORD_TALK)].replace("@PW", g.pick(_PW_VARS))
        return draft(g.pick(_PASSWORD_ASKS) + body, ("SOURCE_CODE",), "code_password_talk", benign=True)

    return [*distinct(220, paste), *distinct(96, password_talk)]
