#!/usr/bin/env bash
# Runs the workspace check and every test of the workspace from a clean clone. Prints the totals as its
# last line, "N passed, N failed, N skipped", and exits non-zero when anything failed (or did not build);
# a failed ./poly check counts as one failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

fail() { echo "$1" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

echo "== kafka" >&2
# The kafka connector's native library (librdkafka1); its tests start librdkafka's mock cluster in-process.
scripts/kafka.sh install >&2 || fail "cannot install librdkafka1 (scripts/kafka.sh install)"

echo "== build" >&2
dotnet build Ocht.sln -c Debug --nologo -v quiet 2>&1 | grep -E ' error |warn' >&2
[[ ${PIPESTATUS[0]} -eq 0 ]] || fail "build failed"

echo "== poly check" >&2
# The workspace rules (./poly check, from the Debug build above): any error counts as a failure.
dotnet artifacts/bin/poly/debug/poly.dll check >&2
check=$?

echo "== postgres" >&2
# A throwaway PostgreSQL cluster for tests/Ocht.Postgres.Tests (OCHT_TEST_POSTGRES), removed on any exit.
if pg_env="$(scripts/postgres.sh start)"; then
  eval "$pg_env"
  trap 'scripts/postgres.sh stop "$OCHT_PG_DIR"' EXIT
else
  echo "could not start PostgreSQL: the postgres tests will fail" >&2
fi

echo "== test" >&2
dotnet test Ocht.sln -c Debug --no-build --nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true >"$results/dotnet-test.log" 2>&1
status=$?
grep -E 'Passed!|Failed!|\[FAIL\]|error' "$results/dotnet-test.log" >&2

passed=0 failed=0 skipped=0 reports=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  reports=$((reports + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$(get total) executed=$(get executed) p=$(get passed) f=$(get failed) e=$(get error) a=$(get aborted)
  passed=$((passed + p)); failed=$((failed + f + e + a)); skipped=$((skipped + total - executed))
done

projects=$(ls -d tests/*/ | wc -l)
if [[ $reports -lt $projects ]]; then
  echo "only $reports of $projects test projects reported results (a test host crashed?)" >&2
  failed=$((failed + projects - reports))
fi
if [[ $check -ne 0 ]]; then
  echo "poly check failed (exit $check): see its errors above" >&2
  failed=$((failed + 1))
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "dotnet test exited with $status without a failed test; see $results/dotnet-test.log" >&2
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
