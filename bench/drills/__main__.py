"""Durability drills against the whole stack as separate processes (issue 6):

    kills      kill -9 the worker, the API, the Temporal server while bookings sit in every
               step (held, waiting for payment, confirmed, waiting for check-in)
    postgres   Postgres unreachable for 30 s while workflows run activities
    standins   Telegram/WhatsApp answering 429/500 and Kaspi 500 for a while

Each drill prints a PASS/FAIL table; the exit status is non-zero if any check failed.
Everything started (processes, the throw-away database) is stopped and dropped at the end,
also on Ctrl-C or failure.

    .venv/bin/python -m bench.drills [--only kills|postgres|standins] [--target worker|api|temporal]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable

from bench.drills.checks import DrillResult, Outcome, print_result, print_summary
from bench.drills.harness import DrillError, Stack, drill_stack, now
from bench.drills.kills import TARGETS, kill_drill
from bench.drills.outages import postgres_drill, standins_drill

DRILLS = ("kills", "postgres", "standins")
Drill = Callable[[Stack], Awaitable[tuple[DrillResult, Outcome]]]


def selected(only: list[str] | None, targets: list[str] | None) -> list[tuple[str, Drill]]:
    chosen: list[tuple[str, Drill]] = []
    for name in only or DRILLS:
        if name == "kills":
            for target in targets or TARGETS:

                async def kill(stack: Stack, target: str = target) -> tuple[DrillResult, Outcome]:
                    return await kill_drill(stack, target)

                chosen.append((f"kill -9 {target}", kill))
        elif name == "postgres":
            chosen.append(("postgres outage", postgres_drill))
        else:
            chosen.append(("stand-in fault spells", standins_drill))
    return chosen


async def run(drills: list[tuple[str, Drill]], *, keep_logs: bool = False) -> int:
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    began = now()
    results: list[DrillResult] = []
    print("starting temporal, stand-ins, Kaspi sandbox, worker and API ...", flush=True)
    async with drill_stack() as stack:
        stack.keep_logs = keep_logs
        print(f"stack up; logs in {stack.logs}", flush=True)
        for title, drill in drills:
            print(f"-- {title} ...", flush=True)
            result, outcome = await drill(stack)
            print_result(result, outcome)
            results.append(result)
        if not all(r.ok for r in results):
            stack.keep_logs = True
    print_summary(results)
    print(f"total {now() - began:.0f} s", flush=True)
    return 0 if results and all(r.ok for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.drills",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", action="append", choices=DRILLS, help="run only this drill")
    parser.add_argument(
        "--target", action="append", choices=TARGETS, help="kill drills: only this process"
    )
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep the processes' logs (kept on failure)"
    )
    args = parser.parse_args(argv)
    try:
        return asyncio.run(run(selected(args.only, args.target), keep_logs=args.keep_logs))
    except DrillError as exc:
        print(f"drills could not run: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C, or SIGTERM
        print("interrupted; everything started was stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
