"""`python -m kaspi setup` registers this server as a Kaspi QR device; `ping` checks Kaspi.

Configuration comes from the environment (KASPI_QR_BASE_URL, KASPI_API_KEY,
KASPI_ORGANIZATION_BIN, KASPI_DEVICE_TOKEN, KASPI_TLS_CERT, KASPI_TLS_KEY, KASPI_TLS_CA).
Errors are one friendly line and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from collections.abc import Sequence

from kaspi.client import (
    ENV_DEVICE_TOKEN,
    KaspiQrClient,
    KaspiQrConfig,
    build_http,
    config_from_env,
)
from kaspi.errors import KaspiError


class CliError(Exception):
    """A message for the operator; printed as one line, exit code 1."""


def default_device_id() -> str:
    return f"zhilyego-{socket.gethostname()}"


async def setup(config: KaspiQrConfig, *, device_id: str, trade_point: int | None) -> None:
    async with build_http(config) as http:
        client = KaspiQrClient(config, http)
        points = await client.trade_points()
        if not points:
            raise CliError("Kaspi lists no trade points: create one in the Kaspi Pay app first")
        print("Trade points:")
        for point in points:
            print(f"  {point.id}  {point.name}")
        if trade_point is None:
            if len(points) > 1:
                raise CliError("several trade points: choose one with --trade-point <id>")
            trade_point = points[0].id
        elif trade_point not in {point.id for point in points}:
            raise CliError(f"trade point {trade_point} is not among the ones Kaspi lists")
        token = await client.register_device(device_id, trade_point)
    print(f"Registered device {device_id!r} on trade point {trade_point}.")
    print(f"{ENV_DEVICE_TOKEN}={token}")
    print(f"Put the {ENV_DEVICE_TOKEN} line above in the environment (.env) of the API and worker.")


async def ping(config: KaspiQrConfig) -> None:
    async with build_http(config) as http:
        up = await KaspiQrClient(config, http).ping()
    if not up:
        raise CliError(f"Kaspi at {config.base_url} does not answer health/ping")
    print(f"Kaspi at {config.base_url} answers.")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kaspi", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    setup_parser = commands.add_parser("setup", help="register this server as a Kaspi device")
    setup_parser.add_argument(
        "--device-id", default=None, help="our device id (default zhilyego-<hostname>)"
    )
    setup_parser.add_argument(
        "--trade-point", type=int, default=None, help="TradePointId (needed if several)"
    )
    commands.add_parser("ping", help="check that Kaspi answers")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = config_from_env()
        if args.command == "setup":
            asyncio.run(
                setup(
                    config,
                    device_id=args.device_id or default_device_id(),
                    trade_point=args.trade_point,
                )
            )
        else:
            asyncio.run(ping(config))
    except (KaspiError, CliError) as exc:
        print(f"kaspi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
