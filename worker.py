"""Runs the Temporal workers, with Prometheus SDK metrics: one for bookings and everything
else, one of its own (queue and slots) for the iCal imports of external calendars."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.booking import BookingActivities
from activities.calendar import CalendarActivities
from activities.clients.kaspi import kaspi_from_settings
from activities.clients.messengers import Messenger, TelegramMessenger, WhatsAppMessenger
from activities.ical_import import ICalImportActivities
from activities.late_payments import LatePaymentActivities, LateRefundStarter
from activities.notify import NotifyActivities
from activities.nudges import NudgeActivities, NudgeRules
from activities.payments import ManualRequisites, PaymentActivities
from activities.templates import ensure_default_templates
from core.crypto import CodeCipher
from core.db import SessionFactory, create_engine, create_session_factory
from core.log_context import LoggingInterceptor
from core.logging import configure_logging, get_logger
from core.safe_fetch import FetchPolicy
from core.sentry import SentryInterceptor, init_sentry
from core.settings import Settings, get_settings
from core.temporal import connect_temporal
from services.booking_client import BookingClient, timings_from
from services.ical_schedules import ensure_ical_schedules
from services.listing_changes import ListingListener
from services.schedules import ensure_schedules
from services.search_cache import SearchCache, SearchInvalidator
from workflows.booking import BookingWorkflow
from workflows.calendar import OwnerCalendarWorkflow
from workflows.ical import ICalImportWorkflow
from workflows.late_payment import LatePaymentWorkflow
from workflows.nudges import OwnerNudgesWorkflow

log = get_logger("worker")
WORKFLOWS = [
    BookingWorkflow,
    OwnerCalendarWorkflow,
    OwnerNudgesWorkflow,
    # Only for imports started on this queue before they had their own: without their
    # activity here they fail within its 5-minute limit instead of stalling the schedule.
    ICalImportWorkflow,
    LatePaymentWorkflow,
]
ICAL_WORKFLOWS = [ICalImportWorkflow]


def build_messengers(settings: Settings, http: httpx.AsyncClient) -> dict[str, Messenger]:
    messengers: dict[str, Messenger] = {}
    if settings.telegram_bot_token:
        messengers["telegram"] = TelegramMessenger(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base
        )
    if settings.whatsapp_token and settings.whatsapp_phone_number_id:
        messengers["whatsapp"] = WhatsAppMessenger(
            token=settings.whatsapp_token.get_secret_value(),
            phone_number_id=settings.whatsapp_phone_number_id,
            api_base=settings.whatsapp_api_base,
            http=http,
        )
    return messengers


def build_activities(
    settings: Settings,
    sessions: SessionFactory,
    http: httpx.AsyncClient,
    messengers: Mapping[str, Messenger],
    *,
    on_listing_change: ListingListener | None = None,
    bookings: BookingClient | None = None,
) -> list[object]:
    """Activity instances hold their clients; the worker owns their lifetimes."""
    kaspi = kaspi_from_settings(settings, http)
    requisites = ManualRequisites(
        recipient=settings.manual_payment_recipient,
        bank=settings.manual_payment_bank,
        iban=settings.manual_payment_iban,
        bin=settings.manual_payment_bin,
        note=settings.manual_payment_note,
    )
    booking = BookingActivities(sessions, on_listing_change=on_listing_change)
    payments = PaymentActivities(sessions, kaspi, requisites)
    late_payments = LatePaymentActivities(sessions, kaspi)
    notify = build_notify(settings, sessions, messengers)
    calendar = CalendarActivities(sessions, on_listing_change=on_listing_change)
    nudges = NudgeActivities(sessions, NudgeRules.from_settings(settings))
    return [
        booking.hold_booking,
        booking.confirm_booking,
        booking.release_booking,
        booking.complete_booking,
        booking.refresh_status,
        booking.save_review,
        payments.start_payment,
        payments.check_kaspi_payment,
        payments.watch_kaspi_payment,
        payments.renew_kaspi_payment,
        payments.refund_payment,
        payments.refund_booking,
        late_payments.record_late_payment,
        late_payments.refund_late_payment,
        *([LateRefundStarter(bookings).start_late_refund] if bookings is not None else []),
        notify.notify,
        notify.send_access_codes,
        calendar.block_nights,
        calendar.unblock_nights,
        nudges.find_nudges,
    ]


def build_notify(
    settings: Settings, sessions: SessionFactory, messengers: Mapping[str, Messenger]
) -> NotifyActivities:
    return NotifyActivities(
        sessions,
        messengers,
        CodeCipher.from_settings(settings),
        whatsapp_templates=settings.whatsapp_templates,
        fallback_after_attempts=settings.notify_fallback_after_attempts,
    )


def build_ical_activities(
    settings: Settings,
    sessions: SessionFactory,
    messengers: Mapping[str, Messenger],
    *,
    on_listing_change: ListingListener | None = None,
) -> list[object]:
    """The import worker's: the import, and the owner's conflict notice (sent from the
    import workflow's own queue)."""
    ical = ICalImportActivities(
        sessions,
        FetchPolicy.from_settings(settings),
        max_events=settings.feed_max_events,
        on_listing_change=on_listing_change,
    )
    return [ical.import_external_calendar, build_notify(settings, sessions, messengers).notify]


@asynccontextmanager
async def running_worker(
    settings: Settings, client: Client, *, task_queue: str | None = None
) -> AsyncIterator[Worker]:
    """The workers with real activities, bookings' (yielded; on `task_queue` if given) and
    the imports' (on settings.ical_task_queue); used by main() and by the tests alike."""
    engine = create_engine(settings.database_url, pre_ping=False)  # activities retry
    sessions = create_session_factory(engine)
    async with sessions() as session:
        await ensure_default_templates(session)
    # Holds, releases, status and rating changes make the search cache forget the pages
    # that could list the apartment (version INCRs).
    redis = Redis.from_url(settings.redis_url)
    forget_pages = SearchInvalidator(sessions, SearchCache.from_settings(redis, settings))
    queue = task_queue or settings.temporal_task_queue
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        messengers = build_messengers(settings, http)
        interceptors = [
            LoggingInterceptor(),
            *([SentryInterceptor()] if settings.sentry_dsn else []),
        ]
        worker = Worker(
            client,
            task_queue=queue,
            workflows=WORKFLOWS,
            activities=build_activities(
                settings,
                sessions,
                http,
                messengers,
                on_listing_change=forget_pages,
                # Bookings that close unpaid start refunds of stray payments through it.
                bookings=BookingClient(client, task_queue=queue, timings=timings_from(settings)),
            ),  # type: ignore[arg-type]
            interceptors=interceptors,
            max_cached_workflows=settings.worker_max_cached_workflows,
        )
        imports = Worker(
            client,
            task_queue=settings.ical_task_queue,
            workflows=ICAL_WORKFLOWS,
            activities=build_ical_activities(
                settings, sessions, messengers, on_listing_change=forget_pages
            ),  # type: ignore[arg-type]
            interceptors=interceptors,
            # A few slow feeds at a time, and never one of the bookings' slots.
            max_concurrent_activities=settings.ical_max_concurrent_activities,
        )
        try:
            async with worker, imports:
                yield worker
        finally:
            for messenger in messengers.values():
                close = getattr(messenger, "close", None)
                if close is not None:
                    await close()
            await redis.aclose()
            await engine.dispose()


def metrics_runtime(bind_address: str) -> Runtime:
    """Temporal SDK metrics (task latencies, failures, slots) served for Prometheus."""
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=bind_address)))


async def main(argv: list[str] | None = None) -> None:
    """`python worker.py [--no-schedules]`: the latter for extra workers of a fleet (and the
    time-skipping test server, which has no schedules), leaving the schedules to one."""
    manage_schedules = "--no-schedules" not in (sys.argv[1:] if argv is None else argv)
    settings = get_settings().require_startable()
    configure_logging(settings.log_level)
    init_sentry(settings, "worker")
    runtime = metrics_runtime(settings.worker_metrics_address)
    client = await connect_temporal(settings, runtime=runtime)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # Tests start workers without schedules; they call ensure_schedules themselves.
    if manage_schedules:
        await ensure_schedules(client, settings)
        await ensure_ical_schedules(client, settings)
    async with running_worker(settings, client):
        log.info(
            "worker running",
            task_queue=settings.temporal_task_queue,
            ical_task_queue=settings.ical_task_queue,
            metrics=f"http://{settings.worker_metrics_address}/metrics",
        )
        await stop.wait()
    log.info("worker stopped")


if __name__ == "__main__":
    asyncio.run(main())
