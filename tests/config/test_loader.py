"""Each config test breaks one key and asserts the exact message."""

from pathlib import Path

import pytest

from config import ConfigError, load_config, parse_config


def test_embedded_default_loads() -> None:
    config = load_config()
    assert config.server.host == "127.0.0.1"
    assert config.server.port == 8787
    assert "default" in config.gateways
    assert config.providers["openai"].base_url == "https://api.openai.com/v1"
    assert config.providers["anthropic"].headers["anthropic-version"] == "2023-06-01"


def test_values_are_converted() -> None:
    config = parse_config(
        '[limits]\nmax_request_body = "2MiB"\nmax_response_body = 1000\n'
        '[timeouts]\nconnect = "500ms"\nclient_idle = "2m"\n'
    )
    assert config.limits.max_request_body == 2 * 1024 * 1024
    assert config.limits.max_response_body == 1000
    assert config.timeouts.connect == 0.5
    assert config.timeouts.client_idle == 120.0


def test_provider_override_keeps_builtin_fields() -> None:
    config = parse_config('[providers.anthropic]\nbase_url = "http://127.0.0.1:9999"\n')
    anthropic = config.providers["anthropic"]
    assert anthropic.base_url == "http://127.0.0.1:9999"
    assert anthropic.family == "anthropic"
    assert anthropic.auth == "x-api-key"


def test_custom_provider() -> None:
    config = parse_config('[providers.custom-vllm]\nbase_url = "http://10.0.0.5:8000/v1"\n')
    custom = config.providers["custom-vllm"]
    assert (custom.family, custom.auth, custom.chat_path) == ("openai", "bearer", "/chat/completions")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[timeouts]\nconnect = 60", 'w.toml: timeouts.connect: expected a duration like "60s", got 60'),
        ('[timeouts]\nconnect = "soon"', "w.toml: timeouts.connect: expected a duration like \"60s\", got 'soon'"),
        (
            "[server]\nprot = 1",
            "w.toml: server.prot: unknown key; expected one of host, port, workers, data_dir, trusted_proxies",
        ),
        ('[server]\nport = "80"', "w.toml: server.port: expected a whole number, got '80'"),
        ("[server]\nport = 70000", "w.toml: server.port: expected a port from 0 to 65535, got 70000"),
        ("[server]\nworkers = 0", "w.toml: server.workers: expected a whole number ≥ 1, got 0"),
        (
            "[gateways.default]\ncollect_logs = 1",
            "w.toml: gateways.default.collect_logs: expected true or false, got 1",
        ),
        ('[gateways.a]\nproviders = ["nope"]', "w.toml: gateways.a.providers[0]: unknown provider 'nope'"),
        ('[gateways.a]\nproviders = "openai"', "w.toml: gateways.a.providers: expected an array, got 'openai'"),
        (
            '[limits]\nmax_request_body = "10 furlongs"',
            "w.toml: limits.max_request_body: expected a size like \"10MiB\" or a number of bytes, got '10 furlongs'",
        ),
        (
            '[providers.custom-x]\nfamily = "openai"',
            "w.toml: providers.custom-x.base_url: a custom provider needs a base_url",
        ),
        (
            '[providers.custom-x]\nbase_url = "http://x"\nfamily = "soap"',
            "w.toml: providers.custom-x.family: expected one of 'openai', 'azure-openai', 'anthropic', 'gemini', "
            "'cohere', 'generic', got 'soap'",
        ),
        (
            '[providers.openai]\nbase_url = "ftp://x"',
            "w.toml: providers.openai.base_url: expected an http(s) URL without query or fragment, got 'ftp://x'",
        ),
        (
            '[providers.openai]\nbase_url = "https://x/?q=1"',
            "w.toml: providers.openai.base_url: expected an http(s) "
            "URL without query or fragment, got 'https://x/?q=1'",
        ),
        ("[gateways.compat]\n", "w.toml: gateways.compat: expected a name of letters, digits, '-' and '_'"),
        ("server = 1", "w.toml: server: expected a table, got 1"),
    ],
)
def test_broken_key_names_file_key_and_expectation(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "w.toml")
    assert str(info.value) == message


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(
        ConfigError, match=r"w.toml: providers.foo: unknown provider; expected one of anthropic, .*custom-NAME"
    ):
        parse_config('[providers.foo]\nbase_url = "http://x"', "w.toml")


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^w.toml: not valid TOML: "):
        parse_config("[server", "w.toml")
    with pytest.raises(ConfigError, match=r"nope.toml: cannot read the file"):
        load_config(tmp_path / "nope.toml")


def test_config_is_immutable() -> None:
    config = load_config()
    with pytest.raises(AttributeError):
        config.server.port = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.providers["x"] = config.providers["openai"]  # type: ignore[index]
