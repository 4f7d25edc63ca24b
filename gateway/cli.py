"""The ``weir`` command line: ``serve``, ``check-config``, ``inspect``, ``hash-token``,
``hash-list``, the request log's ``logs …`` (``gateway.logs.cli``) and ``keys …``
(``gateway.keys_cli``)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from config import ConfigError, load_config
from gateway import keys_cli
from gateway.auth import build_verifiers, hash_token
from gateway.keystore import stored_keys
from gateway.logs import build_log_writer
from gateway.logs import cli as logs_cli
from gateway.logs.sealed import KeyFileError
from gateway.server import serve, with_overrides
from policies import build_inspector
from policies.detectors.customer_data import EDMList
from policies.policy import ANONYMOUS, Context


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in logs_cli.COMMANDS:
        return logs_cli.run(args)
    if args.command == "keys":
        return keys_cli.run(args)
    try:
        if args.command == "check-config":
            config = load_config(args.file)
            print(f"{args.file}: ok ({len(config.gateways)} gateways, {len(config.providers)} providers)")
            return 0
        if args.command == "inspect":
            return _inspect(args)
        if args.command == "hash-list":
            return _hash_list(args)
        if args.command == "hash-token":
            token = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass("token: ")
            if not token:
                print("weir: no token given", file=sys.stderr)
                return 2
            print(hash_token(token))
            return 0
        if args.workers is not None and args.workers < 1:
            print("weir: --workers: expected a whole number ≥ 1", file=sys.stderr)
            return 2
        config = with_overrides(load_config(args.config), args.host, args.port, args.workers)
        # What would stop the app from starting stops here, with one clear line, not in a worker.
        build_inspector(config.dlp, config.policy_rules)
        build_verifiers(config)
        stored_keys(config.keys.file, config.keys.secret_env)
        build_log_writer(config)
    except (ConfigError, ValueError, KeyFileError) as exc:
        print(f"weir: {exc}", file=sys.stderr)
        return 2
    serve(config, args.config)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="weir", description="Weir: a self-hosted AI gateway.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the gateway")
    serve_cmd.add_argument("--config", help="a TOML config file (default: the embedded default)")
    serve_cmd.add_argument("--host", help="address to listen on (overrides server.host)")
    serve_cmd.add_argument("--port", type=int, help="port to listen on (overrides server.port)")
    serve_cmd.add_argument("--workers", type=int, help="worker processes sharing the port (overrides server.workers)")
    check = commands.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("file", help="the TOML config file to check")
    inspect = commands.add_parser("inspect", help="run DLP over a text or a JSON request and print the findings")
    inspect.add_argument("file", nargs="?", default="-", help="a file, or - for standard input (default)")
    inspect.add_argument("--config", help="the config whose [dlp] policy applies (default: the embedded default)")
    inspect.add_argument("--direction", choices=("request", "response"), default="request")
    commands.add_parser("hash-token", help="read a gateway token on stdin, print its salted hash for the config")
    hash_list = commands.add_parser(
        "hash-list", help="turn a list of customer values (one per line) into salted digests for [[dlp.exact_data]]"
    )
    hash_list.add_argument("file", nargs="?", default="-", help="a file of values, or - for standard input")
    hash_list.add_argument("--salt-env", default="WEIR_EDM_SALT", help="environment variable holding the salt")
    logs_cli.add_commands(commands)
    keys_cli.add_commands(commands)
    return parser


def _hash_list(args: argparse.Namespace) -> int:
    salt = os.environ.get(args.salt_env, "")
    if len(salt) < 16:
        print(f"weir: set {args.salt_env} to a random salt of at least 16 characters", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"weir: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    edm = EDMList.build((line for line in text.splitlines() if line.strip()), salt.encode())
    print(json.dumps(edm.to_json()))
    return 0


def _inspect(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    inspector = build_inspector(config.dlp, config.policy_rules)
    if inspector is None:
        print("weir: DLP is disabled in this config ([dlp] enabled = false)", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()  # noqa: SIM115
    except OSError as exc:
        print(f"weir: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    context = Context(ANONYMOUS, "default", None, None, args.direction)
    body: Any
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    inspection = (
        inspector.inspect(body, context) if isinstance(body, (dict, list)) else inspector.inspect_text(text, context)
    )
    print(json.dumps({"action": inspection.action, "findings": inspection.findings()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
