"""The one results table (markdown): printed, and saved under bench/results/."""
from measure import DUCKDB_THREADS, OCHT_W3_MEMORY_MB

# Issue 3's targets for Ocht: time as a fraction of DuckDB's in the same session, and peak RSS.
TIME_TARGET = {"w1": 0.6, "w2": 0.7, "w3": 0.8}
RSS_TARGET_MIB = {"w1": 200, "w2": 200, "w3": 600}
W1_RSS_GROWTH_TARGET = 1.2
TARGET_SIZE = "10m"
SIZE_LABEL = {"1m": "1M", "10m": "10M"}


def table(results, runs):
    by_key = {(r.workload, r.size, r.tool): r for r in results}
    header = ["workload", "rows", "tool", "median s", "median CPU s", "MB/s", "max peak RSS MiB",
              "Ocht/DuckDB time (target)", "RSS (target)", "output"]
    rows = [[r.workload.upper(), SIZE_LABEL[r.size], r.tool, f"{r.seconds:.2f}", f"{r.cpu_seconds:.2f}", f"{r.mb_per_second:.1f}",
             f"{r.rss_mib:.0f}", *targets(r, by_key.get((r.workload, r.size, "duckdb"))), r.check]
            for r in results]
    lines = aligned([header] + rows)
    growth = w1_rss_growth(by_key)
    if growth is not None:
        lines += ["", f"W1 peak RSS 10M / 1M: {growth:.2f} (target <= {W1_RSS_GROWTH_TARGET}) {verdict(growth <= W1_RSS_GROWTH_TARGET)}"]
    failures = [f"- {r.workload.upper()} {SIZE_LABEL[r.size]} {r.tool}: {r.failure}" for r in results if not r.ok]
    if failures:
        lines += ["", "FAILED runs:"] + failures
    lines += ["", f"Median wall time, median CPU time (user + system) and highest peak RSS of {runs} run(s) per row, whole process, input in the page cache; MB/s = input bytes / 10^6 / median s.",
              f"Ocht W3 runs with memory_mb={OCHT_W3_MEMORY_MB}; DuckDB with {DUCKDB_THREADS} threads, W3 without a memory limit."]
    return "\n".join(lines) + "\n"


def targets(result, duckdb):
    """Ocht's ratio to DuckDB and its RSS, judged against the targets on 10M rows (issue 3 sets them there);
    on 1M rows the same figures for information."""
    if result.tool != "ocht":
        return ["", ""]
    w = result.workload
    judged = result.size == TARGET_SIZE
    rss = f"{result.rss_mib:.0f} (<= {RSS_TARGET_MIB[w]}) {verdict(result.rss_mib <= RSS_TARGET_MIB[w])}" if judged else f"{result.rss_mib:.0f}"
    if duckdb is None:
        return ["no DuckDB run", rss]
    ratio = result.seconds / duckdb.seconds
    if not judged:
        return [f"{ratio:.2f}x (targets at 10M)", rss]
    return [f"{ratio:.2f}x (<= {TIME_TARGET[w]}x) {verdict(ratio <= TIME_TARGET[w])}", rss]


def w1_rss_growth(by_key):
    small, large = by_key.get(("w1", "1m", "ocht")), by_key.get(("w1", "10m", "ocht"))
    return large.rss_mib / small.rss_mib if small and large else None


def verdict(met):
    return "met" if met else "MISSED"


def aligned(rows):
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"
    return [line(rows[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows[1:]]
