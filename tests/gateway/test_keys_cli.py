"""``weir keys add|list|remove|rotate``: keys from stdin, never echoed back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gateway.cli import main

SECRET = "a long enough key-file secret"
KEY = "sk-proj-0123456789abcdefghijklmnopqrstuvwx"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WEIR_KEYS_SECRET", SECRET)
    path = tmp_path / "weir.toml"
    path.write_text(f'[keys]\nfile = "{tmp_path / "keys.json"}"\n')
    return str(path)


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert KEY not in out + err
    return f"{status}|{out}{err}"


def test_add_list_rotate_remove(
    config: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    added = run(monkeypatch, capsys, "keys", "add", "openai", "--config", config, stdin=KEY + "\n")
    assert added.startswith("0|stored key_")
    listed = run(monkeypatch, capsys, "keys", "list", "--config", config)
    assert "openai" in listed and listed.startswith("0|")
    key_id = listed.split("|", 1)[1].split()[0]
    rotated = run(monkeypatch, capsys, "keys", "rotate", "openai", "--config", config, stdin="sk-other\n")
    assert f"retired {key_id}" in rotated
    new_id = run(monkeypatch, capsys, "keys", "list", "--config", config).split("|", 1)[1].split()[0]
    assert run(monkeypatch, capsys, "keys", "remove", new_id, "--config", config).startswith("0|removed")
    assert run(monkeypatch, capsys, "keys", "list", "--config", config) == "0|"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("keys", "add", "nosuch"), KEY, "unknown provider 'nosuch'"),
        (("keys", "add", "openai"), "", "no key given on standard input"),
        (("keys", "remove", "key_zzz"), "", "no stored key has the id 'key_zzz'"),
        (("keys", "rotate", "openai"), KEY, "no key is stored for 'openai'"),
    ],
)
def test_errors_are_one_clear_line(
    config: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    stdin: str,
    message: str,
) -> None:
    result = run(monkeypatch, capsys, *argv, "--config", config, stdin=stdin)
    assert result.startswith("2|weir: ") and message in result


def test_no_key_file_configured(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert "set [keys] file" in run(monkeypatch, capsys, "keys", "list")
