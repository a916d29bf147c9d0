#!/usr/bin/env bash
# Kafka for this workspace. The kafka connector uses the system's librdkafka (Debian: librdkafka1, 2.0.2);
# tests, the demo and the benchmark use librdkafka's mock cluster (KafkaMockCluster), so no broker is installed.
# usage: scripts/kafka.sh install   installs librdkafka1 with apt-get when /usr/lib/*/librdkafka.so.1 is missing
set -euo pipefail

installed() { compgen -G '/usr/lib/*/librdkafka.so.1' >/dev/null || compgen -G '/usr/lib/librdkafka.so.1' >/dev/null; }

case "${1:-}" in
  install)
    if installed; then exit 0; fi
    command -v apt-get >/dev/null || { echo "librdkafka.so.1 is missing and apt-get is not available: install librdkafka (>= 2.0) with your package manager" >&2; exit 1; }
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "installing librdkafka1 (apt-get)..." >&2
    if ! $sudo apt-get install -y -q librdkafka1 >/dev/null 2>&1; then
      $sudo apt-get update -q >/dev/null
      $sudo apt-get install -y -q librdkafka1 >/dev/null
    fi
    installed || { echo "librdkafka1 was installed but librdkafka.so.1 is still not found" >&2; exit 1; }
    ;;
  *)
    echo "usage: scripts/kafka.sh install" >&2
    exit 2
    ;;
esac
