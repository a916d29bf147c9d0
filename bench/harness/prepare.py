"""Everything a benchmark run needs before timing starts: input data, reference outputs, the
Release-built CLI and the DuckDB peer. Each is made once and cached under bench/."""
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    repo: Path
    shared: Path
    data: Path
    pipelines: Path
    peers: Path

    @staticmethod
    def discover():
        bench = Path(__file__).resolve().parent.parent
        repo = bench.parent
        shared = Path(os.environ.get("OCHT_SHARED") or repo.parent / "shared").resolve()
        if not (shared / "bench" / "gen_orders.py").is_file():
            raise SetupError(f"no benchmark kit at {shared}/bench (set OCHT_SHARED to the shared folder)")
        return Paths(repo, shared, bench / "data", bench / "pipelines", bench / ".peers")

    @property
    def verify(self):
        return self.shared / "bench" / "verify.py"

    @property
    def ocht_dll(self):
        return self.repo / "artifacts" / "publish" / "ocht-cli" / "ocht.dll"


class SetupError(Exception):
    pass


def say(message):
    print(message, file=sys.stderr, flush=True)


def orders(paths, size, rows, larger=()):
    """The orders CSV of `size` rows. OCHT_BENCH_ORDERS may name a folder that already holds
    orders_<size>.csv (saves generating it). A smaller file is cut from a larger one when that
    exists: gen_orders.py makes every size a prefix of the bigger ones."""
    name = f"orders_{size}.csv"
    outside = os.environ.get("OCHT_BENCH_ORDERS")
    for folder in ([Path(outside)] if outside else []) + [paths.data]:
        if (folder / name).is_file():
            return folder / name
    paths.data.mkdir(parents=True, exist_ok=True)
    target = paths.data / name
    partial = target.with_suffix(".partial")
    if source := next((p for p in larger if p.is_file()), None):
        say(f"cutting {name} from {source.name} ...")
        with open(source, "rb") as full, open(partial, "wb") as out:
            for _ in range(rows + 1):  # the header line too
                out.write(full.readline())
    else:
        say(f"generating {name} ({rows:,} rows) ...")
        run_checked([sys.executable, paths.shared / "bench" / "gen_orders.py", str(rows), partial], "gen_orders.py")
    partial.rename(target)  # only a complete file gets the real name
    return target


def reference(paths, size, input_csv):
    """verify.py's oracle outputs w1.csv, w2.csv, w3.csv for this input, cached."""
    folder = paths.data / f"ref_{size}"
    if (folder / "w3.csv").is_file():
        return folder
    partial = paths.data / f"ref_{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    say(f"writing reference outputs for {size} rows (verify.py ref) ...")
    run_checked([sys.executable, paths.verify, "ref", input_csv, partial], "verify.py ref")
    partial.rename(folder)
    return folder


def ocht(paths):
    """Builds the CLI once through ./ocht (Release, precompiled, only when sources changed); runs then
    start the dll directly, so the staleness check is not part of the timing."""
    say("building ocht (Release) when sources changed ...")
    run_checked([paths.repo / "ocht", "list"], "./ocht list", cwd=paths.repo)
    return paths.ocht_dll


def duckdb(paths):
    """The shared DuckDB peer copied to bench/.peers/duckdb and installed there once (again when the
    shared copy changes). npm install, not npm ci: the lockfile lacks other platforms' optional packages."""
    source = paths.shared / "bench" / "peers" / "duckdb"
    target = paths.peers / "duckdb"
    stamp = target / ".installed"
    fingerprint = hashlib.sha256(b"".join(f.read_bytes() for f in sorted(source.iterdir()) if f.is_file())).hexdigest()
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return target
    say("installing the DuckDB peer (npm install) ...")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for f in source.iterdir():
        shutil.copyfile(f, target / f.name)  # contents only: the shared copy is read-only
    run_checked(["npm", "install", "--no-audit", "--no-fund"], "npm install", cwd=target)
    stamp.write_text(fingerprint)
    return target


def warm(path):
    """Reads the input once so every run finds it in the page cache, as the workloads specify."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def run_checked(argv, what, cwd=None):
    result = subprocess.run([str(a) for a in argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise SetupError(f"{what} failed (exit {result.returncode}):\n{result.stdout[-3000:]}")
