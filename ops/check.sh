#!/usr/bin/env bash
# Static checks of the deployment files: Prometheus config, alert rules and their unit tests,
# Alertmanager config, docker-compose.yml, the Kubernetes manifests, the Grafana dashboard, and,
# when the jar is built, that every flag and metric they rely on exists in it.
#
#   ops/check.sh            (from anywhere; exits non-zero on the first failure)
#
# Installs what it needs from Debian's packages when missing (apt-get update once, only then):
# prometheus (promtool), prometheus-alertmanager (amtool), docker-compose, python3-yaml.
# No Docker engine and no network beyond the package mirror are needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=streams-app/target/tokenid-metrics.jar
PY=/usr/bin/python3          # Debian's, with python3-yaml; `python3` on PATH may be another one
LINT=(ops/check_ops.py)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
fail() { printf '    FAIL: %s\n' "$*" >&2; exit 1; }
run() {  # run a tool, indent its output, fail with its status
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  [[ -n "$out" ]] && printf '%s\n' "$out" | sed 's/^/    | /'
  [[ $rc -eq 0 ]] || fail "$* (exit $rc)"
}

step "tools"
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
{ [[ -x $PY ]] && $PY -c 'import yaml' 2>/dev/null; } || missing+=(python3 python3-yaml)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "    installing: ${missing[*]}"
  [[ $(id -u) -eq 0 ]] || fail "need root to apt-get install ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$WORK/apt.log" 2>&1 \
    || { sed 's/^/    | /' "$WORK/apt.log"; fail "apt-get install ${missing[*]}"; }
fi
for tool in promtool amtool docker-compose; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found after installing"
done
ok "$(promtool --version 2>&1 | head -n1)"
ok "$(amtool --version 2>&1 | head -n1)"
ok "$(docker-compose version --short 2>/dev/null || docker-compose --version)"
ok "$($PY --version) with PyYAML $($PY -c 'import yaml; print(yaml.__version__)')"

step "shell scripts parse"
for f in ops/check.sh ops/tokens/mint-local.sh; do bash -n "$f" || fail "$f"; ok "$f"; done
if command -v shellcheck >/dev/null 2>&1; then
  run shellcheck ops/check.sh ops/tokens/mint-local.sh
  ok "shellcheck"
fi

step "promtool check config ops/prometheus/prometheus.yml"
# The Bearer credentials_file (secrets/tokenid/api-key) must exist for promtool. It is
# git-ignored; when absent, check a copy of ops/prometheus with a placeholder token.
prom_dir=ops/prometheus
if [[ ! -f ops/prometheus/secrets/tokenid/api-key ]]; then
  prom_dir="$WORK/prometheus"
  cp -r ops/prometheus "$prom_dir"
  mkdir -p "$prom_dir/secrets/tokenid"
  printf 'td_live_placeholder_for_promtool' > "$prom_dir/secrets/tokenid/api-key"
  echo "    (no ops/prometheus/secrets/tokenid/api-key: checking a copy with a placeholder token)"
fi
run promtool check config "$prom_dir/prometheus.yml"

step "promtool check rules ops/prometheus/rules/*.yml"
run promtool check rules ops/prometheus/rules/*.yml

step "promtool test rules ops/prometheus/tests/*.yml"
run promtool test rules ops/prometheus/tests/*.yml

step "every alert has a unit test, severity and annotations"
$PY "${LINT[@]}" rules-coverage

step "amtool check-config ops/alertmanager/alertmanager.yml"
run amtool check-config ops/alertmanager/alertmanager.yml
for alert in "alertname=TokenIDDailyBurnHigh severity=critical category=spend org_id=acme" \
             "alertname=TokenIDBudgetFastBurn severity=critical category=spend org_id=acme" \
             "alertname=TokenIDInstanceDown severity=critical category=ops"; do
  # shellcheck disable=SC2086  # one word per label on purpose
  receiver="$(amtool config routes test --config.file=ops/alertmanager/alertmanager.yml $alert 2>"$WORK/amtool.err")" \
    || { sed 's/^/    | /' "$WORK/amtool.err"; fail "amtool config routes test $alert"; }
  ok "routes {$alert} -> $receiver"
done

step "docker-compose -f docker-compose.yml config -q"
run docker-compose -f docker-compose.yml config -q
$PY "${LINT[@]}" compose

step "Grafana provisioning and dashboard; dashboard PromQL through promtool"
$PY "${LINT[@]}" dashboard "$WORK/dashboard-exprs.yml"
run promtool check rules "$WORK/dashboard-exprs.yml"

step "metric names used by rules and dashboards"
$PY "${LINT[@]}" metric-names

step "Kubernetes manifests (ops/k8s/*.yaml)"
mkdir -p "$WORK/k8s-secret"
printf 'td_live_placeholder_for_promtool' > "$WORK/k8s-secret/api-key"
$PY "${LINT[@]}" k8s "$WORK/k8s-scrape.yml" "$WORK/k8s-secret/api-key"
run promtool check config "$WORK/k8s-scrape.yml"
if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize ops/k8s > "$WORK/kustomized.yaml" 2> "$WORK/kustomize.err" \
    || { sed 's/^/    | /' "$WORK/kustomize.err"; fail "kubectl kustomize ops/k8s"; }
  ok "kubectl kustomize ops/k8s renders $(grep -c '^kind:' "$WORK/kustomized.yaml") objects"
else
  echo "    (kubectl not installed: kustomize rendering not checked)"
fi

step "flags and TOKENID_* variables used by docker-compose.yml and ops/k8s"
$PY "${LINT[@]}" flags "$WORK/flags"
if [[ -f $JAR ]]; then
  command -v java >/dev/null 2>&1 || fail "java not found (needed to ask the jar for --help)"
  for flags_file in "$WORK"/flags/*; do
    sub="$(basename "$flags_file")"
    # Only the help text matters; a non-zero exit of --help is tolerated, empty output is not.
    java -jar "$JAR" "$sub" --help > "$WORK/help-$sub.txt" 2>&1 || true
    echo "    checking against: java -jar $JAR $sub --help"
    $PY "${LINT[@]}" flags-help "$sub" "$flags_file" "$WORK/help-$sub.txt"
  done
  step "metric names in the jar"
  $PY "${LINT[@]}" jar-metric-names "$JAR"
else
  echo "    SKIPPED: $JAR is absent, so the flags above and the metric names were not checked"
  echo "             against the service (build it with: mvn -q package -DskipTests)"
fi

printf '\nAll ops checks passed.\n'
