"""The ``weir`` command line: ``weir serve`` and ``weir check-config``."""

from __future__ import annotations

import argparse
import sys

from config import ConfigError, load_config
from gateway.server import serve, with_overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="weir", description="Weir: a self-hosted AI gateway.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the gateway")
    serve_cmd.add_argument("--config", help="a TOML config file (default: the embedded default)")
    serve_cmd.add_argument("--host", help="address to listen on (overrides server.host)")
    serve_cmd.add_argument("--port", type=int, help="port to listen on (overrides server.port)")
    serve_cmd.add_argument("--workers", type=int, help="worker processes sharing the port (overrides server.workers)")
    check = commands.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("file", help="the TOML config file to check")
    args = parser.parse_args(argv)
    try:
        if args.command == "check-config":
            config = load_config(args.file)
            print(f"{args.file}: ok ({len(config.gateways)} gateways, {len(config.providers)} providers)")
            return 0
        if args.workers is not None and args.workers < 1:
            parser.error("--workers: expected a whole number ≥ 1")
        config = with_overrides(load_config(args.config), args.host, args.port, args.workers)
    except ConfigError as exc:
        print(f"weir: {exc}", file=sys.stderr)
        return 2
    serve(config, args.config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
