"""bench/run: the orders workloads of ../shared/bench/WORKLOADS.md through Ocht and DuckDB in one
session. Every output is checked with verify.py; a mismatch or a failed run fails the command."""
import argparse
import datetime
import os
import platform
import subprocess
import sys

import measure
import prepare
import report

SIZES = {"1m": 1_000_000, "10m": 10_000_000}
WORKLOADS = ("w1", "w2", "w3")
TOOLS = ("ocht", "duckdb")
INSTALL = {"ocht": prepare.ocht, "duckdb": prepare.duckdb}


def options(argv):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--rows", choices=["1m", "10m", "both"], default="1m",
                        help="input size: 1M rows is cheap, 10M is the full benchmark (default 1m)")
    parser.add_argument("--runs", type=positive, default=3, help="timed runs per tool and workload; the table shows medians (default 3)")
    parser.add_argument("--workloads", type=subset_of(WORKLOADS), default=list(WORKLOADS), help="e.g. w1,w3 (default all)")
    parser.add_argument("--tools", type=subset_of(TOOLS), default=list(TOOLS), help="ocht, duckdb or both (default both)")
    return parser.parse_args(argv)


def positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a whole number >= 1")
    return int(text)


def subset_of(allowed):
    def parse(text):
        chosen = [t.strip() for t in text.split(",") if t.strip()]
        unknown = [c for c in chosen if c not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(f"choose from {','.join(allowed)}")
        return [a for a in allowed if a in chosen]  # fixed order keeps the table stable
    return parse


def main(argv):
    args = options(argv)
    sizes = ["1m", "10m"] if args.rows == "both" else [args.rows]
    try:
        paths = prepare.Paths.discover()
        inputs = {}
        for size in sorted(sizes, key=SIZES.get, reverse=True):  # a larger file can give the smaller one
            inputs[size] = prepare.orders(paths, size, SIZES[size], larger=list(inputs.values()))
        references = {size: prepare.reference(paths, size, inputs[size]) for size in sizes}
        installed = {tool: INSTALL[tool](paths) for tool in args.tools}
    except prepare.SetupError as e:
        print(f"bench/run: {e}", file=sys.stderr)
        return 1

    results = measure_all(args, sizes, inputs, references, paths, installed)
    table = report.table(results, args.runs)
    print(table)
    saved = save(paths, table)
    print(f"saved as {saved.relative_to(paths.repo)}")
    return 0 if all(r.ok for r in results) else 1


def measure_all(args, sizes, inputs, references, paths, installed):
    results = []
    for size in sizes:
        prepare.warm(inputs[size])
        for workload in args.workloads:
            row = {tool: measure.Result(workload, size, tool, inputs[size].stat().st_size) for tool in args.tools}
            for i in range(args.runs):
                for tool in args.tools:  # alternating tools spreads drift of the machine over both
                    run = measure.once(tool, workload, inputs[size], references[size], paths, installed)
                    row[tool].runs.append(run)
                    prepare.say(f"{workload} {size} {tool} run {i + 1}/{args.runs}: {run.seconds:.2f} s, {run.rss_mib:.0f} MiB, {run.check}")
            results += row.values()
    return sorted(results, key=lambda r: (WORKLOADS.index(r.workload), sizes.index(r.size), TOOLS.index(r.tool)))


def save(paths, table):
    now = datetime.datetime.now()
    commit = subprocess.run(["git", "-C", paths.repo, "describe", "--always", "--dirty"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    folder = paths.repo / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{now:%Y%m%d-%H%M%S}.md"
    target.write_text(f"# Orders benchmark, {now:%Y-%m-%d %H:%M}\n\n"
                      f"Commit {commit or 'unknown'}; {os.cpu_count()} cores, {platform.platform()}.\n\n{table}")
    return target


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
