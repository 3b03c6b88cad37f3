"""Timing of the catalogue's in-memory indexes (not a test: numbers vary by machine).

    /work/venv/bin/python benchmarks/catalogue_bench.py

Target: every query under 100 ms once the index is built.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from riskdesk.catalogue.frameworks import load_builtin_frameworks
from riskdesk.catalogue.incidents import IncidentIndex
from riskdesk.catalogue.library import CatalogueIndex
from riskdesk.catalogue.suggest import suggest_risks

INCIDENT_QUERIES = [
    "chatbot giving harmful advice",
    "remote exam proctoring software",
    "AI hiring tool screening job applicants",
    "facial recognition wrongful arrest",
    "coding agent deleted production database during code freeze",
    "a",
    "student essays falsely flagged as written by AI by a detection tool used across the district",
]
USES = [
    {
        "name": "Website chatbot",
        "purpose": "Answers customers' questions about fares and refunds",
        "public_facing": True,
        "generative": True,
        "vendor_name": "OpenAI",
        "model_name": "GPT-4o",
    },
    {
        "name": "Coding agent",
        "purpose": "Writes code and runs database migrations in our app",
        "autonomy": "agent_autonomous",
        "vendor_name": "Replit",
    },
]
CATALOGUE_QUERIES = [
    "prompt injection",
    "GOVERN 1.6",
    "bias in hiring",
    "multi-ag",
    "children data",
]


def _ms(fn: Callable[[], object], repeat: int = 200) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    start = time.perf_counter()
    load_builtin_frameworks()
    print(f"load built-in frameworks: {(time.perf_counter() - start) * 1000:.1f} ms")

    index = IncidentIndex()
    start = time.perf_counter()
    index.build()
    built_ms = (time.perf_counter() - start) * 1000
    print(f"incident index build ({len(index)} incidents): {built_ms:.1f} ms")
    worst = 0.0
    for q in INCIDENT_QUERIES:
        median, peak = _ms(lambda q=q: index.search(q, 10))
        worst = max(worst, peak)
        print(f"  search {q[:50]!r:54} median {median:6.3f} ms  max {peak:6.3f} ms")
    for use in USES:
        median, peak = _ms(lambda use=use: index.similar_to_use(use, 10))
        worst = max(worst, peak)
        print(f"  similar_to_use {use['name']!r:46} median {median:6.3f} ms  max {peak:6.3f} ms")

    catalogue = CatalogueIndex()
    start = time.perf_counter()
    catalogue.search("warm up")
    print(f"catalogue index build: {(time.perf_counter() - start) * 1000:.1f} ms")
    for q in CATALOGUE_QUERIES:
        median, peak = _ms(lambda q=q: catalogue.search(q, 20))
        worst = max(worst, peak)
        print(f"  search {q!r:54} median {median:6.3f} ms  max {peak:6.3f} ms")

    median, peak = _ms(lambda: suggest_risks(USES[1] | {"dev_prod_separated": False}))
    worst = max(worst, peak)
    print(f"suggest_risks: median {median:.3f} ms  max {peak:.3f} ms")
    print(
        f"worst single query: {worst:.2f} ms ({'OK' if worst < 100 else 'OVER'} the 100 ms target)"
    )


if __name__ == "__main__":
    main()
