"""Prometheus counters shared by the API and the services it calls (served at /metrics).

They live in `core` so that services can count without importing the API package.
"""

from __future__ import annotations

from prometheus_client import Counter

SEARCH_CACHE = Counter(
    "zhilyego_search_cache_total", "Search cache lookups by result (hit / miss)", ["result"]
)
