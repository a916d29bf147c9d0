"""Timed runs of one tool on one workload: wall time and peak RSS of the whole process, output checked."""
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

# W3 runs Ocht with the workload's memory budget; DuckDB's W3 is in memory (no memory_limit).
OCHT_W3_MEMORY_MB = 256
DUCKDB_THREADS = 2


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the whole process: steadier than wall time when the machine drifts
    rss_mib: float
    check: str  # verify.py's verdict line, or why the run failed
    ok: bool


@dataclass
class Result:
    workload: str
    size: str
    tool: str
    input_bytes: int
    runs: list = field(default_factory=list)

    @property
    def ok(self):
        return all(r.ok for r in self.runs)

    @property
    def seconds(self):
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_seconds(self):
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def rss_mib(self):
        return max(r.rss_mib for r in self.runs)  # the worst run: a memory limit must hold every time

    @property
    def mb_per_second(self):
        return self.input_bytes / 1e6 / self.seconds

    @property
    def check(self):
        """FAILED, or the first run's verdict (every run's output is checked)."""
        return self.runs[0].check.split(" rows=")[0] if self.ok else "FAILED"

    @property
    def failure(self):
        return next((r.check for r in self.runs if not r.ok), None)


def command(tool, workload, input_csv, output_csv, paths, installed):
    """argv and environment of one run."""
    env = dict(os.environ)
    if tool == "ocht":
        argv = ["dotnet", installed["ocht"], "run", paths.pipelines / f"{workload}.json",
                "--var", f"input={input_csv}", "--var", f"output={output_csv}"]
        if workload == "w3":
            argv += ["--var", f"memory_mb={OCHT_W3_MEMORY_MB}"]
    else:
        argv = ["node", installed["duckdb"] / "duckdb_run.mjs", workload, input_csv, output_csv]
        env.update(DUCKDB_THREADS=str(DUCKDB_THREADS), DUCKDB_TEMP=str(paths.data / "duckdb_tmp"))
    return [str(a) for a in argv], env


def once(tool, workload, input_csv, reference, paths, installed):
    """One timed run, then verify.py compare. The output is deleted when it checks out and kept
    (with the tool's log) when it does not."""
    out_dir = paths.data / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{tool}-{workload}-{input_csv.stem}.csv"
    log = output.with_suffix(".log")
    output.unlink(missing_ok=True)
    argv, env = command(tool, workload, input_csv, output, paths, installed)
    with open(log, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # rusage of this child: ru_maxrss in KiB
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    rss = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    if process.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        return Run(seconds, cpu, rss, f"exit {process.returncode}: {tail[0]} (log {log})", False)
    verdict = subprocess.run([sys.executable, paths.verify, "compare", workload, reference / f"{workload}.csv", output],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = (verdict.stdout.strip().splitlines() or ["no verdict"])[0]
    if verdict.returncode != 0:
        return Run(seconds, cpu, rss, f"{line} (output kept: {output})", False)
    output.unlink()
    log.unlink()
    return Run(seconds, cpu, rss, line, True)
