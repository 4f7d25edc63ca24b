"""``weir keys …``: stored provider keys (``add``, ``list``, ``remove``, ``rotate``) and the
request log's key pair (``generate-log-key``, in ``gateway.logs.cli``).

A provider key is read from standard input (or a prompt), never from the command line,
where it would land in the shell's history and in ``ps``. ``list`` shows ids, providers
and fingerprints only.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from config import ConfigError, load_config
from gateway.keystore import KeyStore, KeyStoreError
from gateway.logs import cli as logs_cli


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="stored provider keys, and the request log's key pair")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True)
    logs_cli.add_generate_log_key(keys_commands)
    add = keys_commands.add_parser("add", help="store a provider key (read from standard input)")
    add.add_argument("provider", help="the provider it is for, e.g. openai")
    keys_commands.add_parser("list", help="stored keys: id, provider, fingerprint, age")
    remove = keys_commands.add_parser("remove", help="delete a stored key")
    remove.add_argument("id", help="the key's id, as `weir keys list` shows it")
    rotate = keys_commands.add_parser("rotate", help="replace a provider's stored key (new key on standard input)")
    rotate.add_argument("provider")
    for command in (add, remove, rotate, keys_commands.choices["list"]):
        command.add_argument("--config", help="the gateway's config, whose [keys] names the key file")


def run(args: argparse.Namespace) -> int:
    if args.keys_command == "generate-log-key":
        return logs_cli.run(args)
    try:
        config = load_config(args.config)
        if not config.keys.file:
            raise KeyStoreError("no key file is configured: set [keys] file in the gateway's config")
        store = KeyStore.from_env(config.keys.file, config.keys.secret_env)
        if args.keys_command == "list":
            for entry in store.load():
                age = int(time.time() - entry.created_at) // 86400
                print(f"{entry.id}  {entry.provider:<20} {entry.fingerprint}  added {age}d ago")
            return 0
        if args.keys_command == "remove":
            removed = store.remove(args.id)
            print(f"removed {removed.id} ({removed.provider}, {removed.fingerprint})")
            return 0
        if args.provider not in config.providers:
            raise KeyStoreError(
                f"unknown provider {args.provider!r}; configured: {', '.join(sorted(config.providers))}"
            )
        key = _read_key()
        if args.keys_command == "add":
            entry = store.add(args.provider, key)
            print(f"stored {entry.id} for {entry.provider} (fingerprint {entry.fingerprint})")
        else:
            entry, retired = store.rotate(args.provider, key)
            print(f"stored {entry.id} for {entry.provider}; retired {', '.join(k.id for k in retired)}")
        print("restart the gateway (or its workers) to use it")
        return 0
    except (KeyStoreError, ConfigError) as exc:
        print(f"weir: {exc}", file=sys.stderr)
        return 2


def _read_key() -> str:
    key = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass("provider key: ")
    if not key:
        raise KeyStoreError("no key given on standard input")
    return key
