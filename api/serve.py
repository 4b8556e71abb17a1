"""Runs the API under uvicorn: `python -m api.serve --host 0.0.0.0 --port 8000`.

X-Forwarded-For / X-Forwarded-Proto are believed only from TRUSTED_PROXIES. uvicorn on its
own believes them from 127.0.0.1 (or FORWARDED_ALLOW_IPS); here, without a configured
proxy, they are not read at all, so no caller picks its own address or scheme.
"""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from core.settings import Settings, get_settings

APP = "api.app:create_app"


def server_config(
    settings: Settings, app: Any = APP, *, host: str, port: int, **options: Any
) -> uvicorn.Config:
    proxies = settings.trusted_proxies
    return uvicorn.Config(
        app,
        factory=isinstance(app, str),
        host=host,
        port=port,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies) if proxies else None,
        server_header=False,
        **options,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m api.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout-graceful-shutdown", type=int, default=None)
    args = parser.parse_args(argv)
    config = server_config(
        get_settings(),
        host=args.host,
        port=args.port,
        timeout_graceful_shutdown=args.timeout_graceful_shutdown,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
