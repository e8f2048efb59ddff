#!/usr/bin/python3
"""Structural checks of ops/ that promtool, amtool and docker-compose do not make.

Called by ops/check.sh (run from the repository root) with Debian's /usr/bin/python3 and its
PyYAML (package python3-yaml); standard library otherwise. Each subcommand prints one line per
check and exits non-zero on the first failure.

  rules-coverage                   every alert in rules/*.yml has a promtool unit test
  dashboard   OUT_RULES_FILE       dashboard JSON sane; its PromQL written as recording rules
                                   to OUT_RULES_FILE so `promtool check rules` parses it
  metric-names                     every metric named in rules and dashboards is a known one
  jar-metric-names JAR             ... and the jar's classes contain those names
  k8s         OUT_PROM_CONFIG KEY  manifests consistent; the scrape snippet written as a full
                                   prometheus.yml (token file KEY) for `promtool check config`
  compose                          docker-compose.yml consistent with ops/ and the Dockerfile
  flags       OUT_DIR              the --flags and TOKENID_* variables used by compose and k8s,
                                   one file per subcommand (run, demo) in OUT_DIR
  flags-help  SUBCOMMAND FLAGS_FILE HELP_FILE
                                   every flag of FLAGS_FILE appears in HELP_FILE
"""
import glob
import json
import os
import re
import sys

import yaml

RULES = sorted(glob.glob("ops/prometheus/rules/*.yml"))
TESTS = sorted(glob.glob("ops/prometheus/tests/*.yml"))
DASHBOARDS = sorted(glob.glob("ops/grafana/dashboards/*.json"))
K8S = sorted(glob.glob("ops/k8s/*.yaml"))
JAR_PATH = "streams-app/target/tokenid-metrics.jar"

# The metric names this directory relies on (SPEC section 2 and the service's management port).
KNOWN_METRICS = {
    # customer /metrics (job tokenid)
    "llm_requests_total", "llm_tokens_total", "llm_cost_usd_total", "llm_cost_usd_rolling_24h",
    "llm_input_tokens_total", "llm_output_tokens_total", "llm_cached_input_tokens_total",
    "llm_cache_write_input_tokens_total", "llm_reasoning_tokens_total", "llm_unpriced_requests_total",
    "llm_cost_usd_rolling_1h", "llm_cost_usd_month_to_date", "llm_series_overflow_total",
    "llm_budget_usd", "llm_budget_remaining_usd", "llm_cost_usd_projected_month",
    # management port (job tokenid-ops)
    "tokenid_events_consumed_total", "tokenid_events_counted_total", "tokenid_dead_letters_total",
    "tokenid_events_ignored_total", "tokenid_duplicates_total", "tokenid_events_repartitioned_total",
    "tokenid_dedup_ids_indexed",
    "tokenid_consumer_lag_records",
    "tokenid_streams_running", "tokenid_ready", "tokenid_hanging_transactions", "tokenid_scrape_duration_seconds",
    "tokenid_abandoned_transactions_fenced_total",
    "tokenid_auth_failures_total", "tokenid_forwarded_scrapes_total", "tokenid_scrapes_unavailable_total",
    # client_java JVM instrumentation
    "jvm_memory_used_bytes",
}
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")
METRIC_RE = re.compile(r"(?<![\w:])((?:llm|tokenid|jvm)_[a-z0-9_]+)")
SPEC_PATH_SECRET = "/etc/prometheus/secrets/tokenid/api-key"


def ok(msg):
    print(f"    ok: {msg}")


def fail(msg):
    print(f"    FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_yaml_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def alert_rules():
    out = []
    for path in RULES:
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                out.append((path, rule))
    return out


def dashboard_exprs():
    """(dashboard, panel title, expr) of every target, rows' nested panels included."""
    out = []
    for path in DASHBOARDS:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
        stack = list(dash.get("panels", []))
        while stack:
            panel = stack.pop(0)
            stack.extend(panel.get("panels", []))
            for target in panel.get("targets", []):
                if "expr" in target:
                    out.append((path, panel.get("title", "?"), target["expr"]))
    return out


def substitute_grafana_vars(expr):
    # Multi-value variables become regex alternations; an all-matching regex stands in for them.
    expr = re.sub(r'\$\{?(org_id)\}?', ".+", expr)
    expr = re.sub(r'\$__rate_interval|\$__interval|\$__range', "5m", expr)
    if "$" in expr:
        fail(f"unknown Grafana variable in: {expr}")
    return expr


# ---------------------------------------------------------------------------------------------

def cmd_rules_coverage():
    tested = set()
    for path in TESTS:
        for test in load_yaml(path).get("tests", []):
            for case in test.get("alert_rule_test", []) or []:
                tested.add(case["alertname"])
    rules = alert_rules()
    if not rules:
        fail("no alert rules found")
    for path, rule in rules:
        name = rule.get("alert") or rule.get("record")
        if "alert" in rule:
            if name not in tested:
                fail(f"{path}: alert {name} has no alert_rule_test in {', '.join(TESTS)}")
            sev = rule.get("labels", {}).get("severity")
            if sev not in ("critical", "warning", "info"):
                fail(f"{name}: labels.severity missing or unknown ({sev})")
            ann = rule.get("annotations", {})
            if not ann.get("summary") or not ann.get("description"):
                fail(f"{name}: needs annotations summary and description")
            if "org_id" in rule["expr"] or "llm_" in rule["expr"]:
                if "$labels.org_id" not in ann["description"]:
                    fail(f"{name}: description should name the org ({{{{ $labels.org_id }}}})")
            ok(f"{name}: tested, severity={sev}, summary and description")
    burn = [r for _, r in rules if r.get("alert") == "TokenIDDailyBurnHigh"]
    if len(burn) != 1:
        fail("exactly one TokenIDDailyBurnHigh rule expected")
    b = burn[0]
    if (b["expr"].strip(), b.get("for"), b["annotations"]["summary"]) != (
            "llm_cost_usd_rolling_24h > 500", "5m", "TokenID 24h spend exceeded $500"):
        fail("TokenIDDailyBurnHigh must be the product page's rule: "
             "llm_cost_usd_rolling_24h > 500, for 5m, summary 'TokenID 24h spend exceeded $500'")
    ok("TokenIDDailyBurnHigh is the product page's rule verbatim")


def cmd_dashboard(out_rules):
    if not DASHBOARDS:
        fail("no dashboard JSON in ops/grafana/dashboards")
    for path in DASHBOARDS:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
        for key in ("uid", "title", "panels", "templating"):
            if key not in dash:
                fail(f"{path}: missing {key}")
        ids = []
        stack = list(dash["panels"])
        while stack:
            p = stack.pop(0)
            stack.extend(p.get("panels", []))
            ids.append(p.get("id"))
            if p.get("type") != "row" and not p.get("targets"):
                fail(f"{path}: panel '{p.get('title')}' has no targets")
            for t in p.get("targets", []):
                if not t.get("expr", "").strip():
                    fail(f"{path}: panel '{p.get('title')}' has a target without expr")
        if len(ids) != len(set(ids)) or None in ids:
            fail(f"{path}: panel ids must be present and unique")
        variables = {v["name"] for v in dash["templating"]["list"]}
        if "org_id" not in variables:
            fail(f"{path}: template variable org_id missing")
        ok(f"{path}: valid JSON, {len(ids)} panels with unique ids, variables {sorted(variables)}")
    for path in glob.glob("ops/grafana/provisioning/*/*.yml"):
        if not isinstance(load_yaml(path), dict):
            fail(f"{path}: not a YAML mapping")
        ok(f"{path}: parses")
    exprs = dashboard_exprs()
    rules = [{"record": f"dashboard:expr:{i}", "expr": substitute_grafana_vars(e)}
             for i, (_, _, e) in enumerate(exprs)]
    with open(out_rules, "w", encoding="utf-8") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-exprs", "rules": rules}]}, f, sort_keys=False)
    needed = {
        "spend per model": r"llm_cost_usd_total",
        "tokens per provider": r"sum by \(provider\).*llm_tokens_total",
        "24h cost": r"llm_cost_usd_rolling_24h",
        "requests per model": r"llm_requests_total",
        "top models by cost": r"topk\(.*llm_cost_usd_total",
        "ingest rate": r"tokenid_events_consumed_total",
        "dead letters by reason": r"by \(reason\).*tokenid_dead_letters_total",
        "lag": r"tokenid_consumer_lag_records",
        "scrape latency p99": r"histogram_quantile\(0\.99.*tokenid_scrape_duration_seconds_bucket",
        "input tokens": r"llm_input_tokens_total",
        "output tokens": r"llm_output_tokens_total",
        "cached input tokens": r"llm_cached_input_tokens_total",
        "cache write input tokens": r"llm_cache_write_input_tokens_total",
        "reasoning tokens": r"llm_reasoning_tokens_total",
        "1h cost": r"llm_cost_usd_rolling_1h",
        "month to date": r"llm_cost_usd_month_to_date",
        "budget": r"^max by \(org_id\) \(llm_budget_usd\{",
        "projected month": r"llm_cost_usd_projected_month",
        "budget used": r"llm_cost_usd_month_to_date.*/.*llm_budget_usd",
        "budget remaining": r"llm_budget_remaining_usd",
        "unpriced requests": r"llm_unpriced_requests_total",
        "series overflow": r"llm_series_overflow_total",
    }
    for what, pattern in needed.items():
        if not any(re.search(pattern, e) for _, _, e in exprs):
            fail(f"dashboard lacks a '{what}' query (/{pattern}/)")
    threshold = any("500" in json.dumps(p.get("fieldConfig", {}))
                    for path in DASHBOARDS for p in json.load(open(path, encoding="utf-8"))["panels"])
    if not threshold:
        fail("dashboard does not show the $500 alert threshold")
    burn_thresholds = _burn_rate_thresholds()
    shown = set()
    for path in DASHBOARDS:
        with open(path, encoding="utf-8") as f:
            for p in json.load(f)["panels"]:
                if any("llm_budget_usd" in t.get("expr", "") and "rolling" in t.get("expr", "")
                       for t in p.get("targets", [])):
                    shown |= {s["value"] for s in
                              p.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps", [])}
    if not burn_thresholds <= shown:
        fail(f"the burn-rate panel's thresholds {sorted(v for v in shown if v is not None)} do not show "
             f"the burn-rate alerts' {sorted(burn_thresholds)} (tune both together)")
    ok(f"{len(exprs)} dashboard queries extracted to {out_rules}; required panels present; "
       f"burn-rate panel shows the alerts' thresholds {sorted(burn_thresholds)}")


def _burn_rate_thresholds():
    """The `) > N` burn-rate thresholds of TokenIDBudgetFastBurn and TokenIDBudgetSlowBurn."""
    found = set()
    for _, rule in alert_rules():
        if rule.get("alert") in ("TokenIDBudgetFastBurn", "TokenIDBudgetSlowBurn"):
            found |= {float(n) for n in re.findall(r"\)\s*>\s*([0-9.]+)", rule["expr"])}
    if len(found) != 2:
        fail(f"expected two burn-rate thresholds in TokenIDBudgetFastBurn/SlowBurn, found {sorted(found)}")
    return found


def cmd_metric_names(quiet=False):
    sources = [(p, r["expr"]) for p, r in alert_rules()] + [(p, e) for p, _, e in dashboard_exprs()]
    used = set()
    for path, expr in sources:
        for name in METRIC_RE.findall(expr):
            base = name
            for suffix in HISTOGRAM_SUFFIXES:
                if name.endswith(suffix) and name[: -len(suffix)] in KNOWN_METRICS:
                    base = name[: -len(suffix)]
            if base not in KNOWN_METRICS:
                fail(f"{path}: unknown metric {name} in: {expr}")
            used.add(base)
    if not quiet:
        ok(f"{len(sources)} expressions use only known metrics: {', '.join(sorted(used))}")
    return used


def cmd_jar_metric_names(jar):
    import zipfile
    used = cmd_metric_names(quiet=True)
    wanted = {}
    for name in used:
        # client_java takes counter names with or without _total; look for the stem.
        wanted[name] = name[: -len("_total")] if name.endswith("_total") else name
    found = set()
    with zipfile.ZipFile(jar) as z:
        for info in z.infolist():
            if not info.filename.endswith(".class"):
                continue
            data = z.read(info)
            for name, stem in wanted.items():
                if name not in found and stem.encode() in data:
                    found.add(name)
            if len(found) == len(wanted):
                break
    missing = sorted(set(wanted) - found)
    if missing:
        fail(f"{jar}: no class mentions {', '.join(missing)} (rules/dashboards use them)")
    ok(f"{jar} names all {len(wanted)} metrics the rules and dashboards use")


# ---------------------------------------------------------------------------------------------

def cmd_k8s(out_config, key_file):
    docs = {}
    for path in K8S:
        for d in load_yaml_all(path):
            for key in ("apiVersion", "kind"):
                if key not in d:
                    fail(f"{path}: document without {key}")
            if d["kind"] != "Kustomization" and not d.get("metadata", {}).get("name"):
                fail(f"{path}: {d['kind']} without metadata.name")
            docs.setdefault(d["kind"], []).append((path, d))
        ok(f"{path}: parses ({', '.join(d['kind'] for d in load_yaml_all(path))})")

    kust = load_yaml("ops/k8s/kustomization.yaml")
    listed = set(kust["resources"])
    present = {os.path.basename(p) for p in K8S} - {"kustomization.yaml"}
    if listed != present:
        fail(f"kustomization.yaml resources {sorted(listed)} != files {sorted(present)}")
    ok("kustomization.yaml lists every manifest")

    (sts_path, sts), = docs["StatefulSet"]
    spec = sts["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    if spec.get("replicas") != 2:
        fail("StatefulSet: replicas must be 2")
    if any(labels.get(k) != v for k, v in spec["selector"]["matchLabels"].items()):
        fail("StatefulSet: selector does not match the pod template labels")
    (container,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    if ports != {"metrics": 9400, "management": 9401}:
        fail(f"container ports must be metrics 9400 and management 9401: {ports}")
    probes = {k: container.get(k, {}).get("httpGet", {}) for k in ("livenessProbe", "readinessProbe")}
    if (probes["livenessProbe"].get("path"), probes["readinessProbe"].get("path")) != ("/healthz", "/readyz"):
        fail("liveness must GET /healthz and readiness /readyz")
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        port = container.get(name, {}).get("httpGet", {}).get("port")
        if port is not None and port not in ("management", 9401):
            fail(f"{name} must use the management port, not {port}")
    volumes = {v["name"] for v in pod.get("volumes", [])} | {
        t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
    for m in container.get("volumeMounts", []):
        if m["name"] not in volumes:
            fail(f"volumeMount {m['name']} has no volume or volumeClaimTemplate")
    state_mounts = [m for m in container["volumeMounts"] if m["mountPath"] == "/var/lib/tokenid"]
    if not state_mounts or state_mounts[0]["name"] not in {
            t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}:
        fail("/var/lib/tokenid must be a volumeClaimTemplate")
    args = container.get("args", [])
    if not args or args[0] != "run" or "--state-dir" not in args or \
            args[args.index("--state-dir") + 1] != "/var/lib/tokenid":
        fail("args must be: run --state-dir /var/lib/tokenid ...")
    env = {e["name"]: e for e in container.get("env", [])}
    adv = env.get("TOKENID_ADVERTISED_ADDRESS", {}).get("value")
    if adv != "$(POD_NAME).tokenid-headless.$(NAMESPACE).svc.cluster.local:9400":
        fail(f"TOKENID_ADVERTISED_ADDRESS is {adv}")
    names = list(env)
    for var in ("POD_NAME", "NAMESPACE"):
        if var not in env or "fieldRef" not in env[var].get("valueFrom", {}):
            fail(f"{var} must come from a fieldRef")
        if names.index(var) > names.index("TOKENID_ADVERTISED_ADDRESS"):
            fail(f"{var} must be defined before TOKENID_ADVERTISED_ADDRESS for $() expansion")
    sc, psc = container.get("securityContext", {}), pod.get("securityContext", {})
    if not psc.get("runAsNonRoot") or sc.get("allowPrivilegeEscalation") is not False:
        fail("pod must run as non-root without privilege escalation")
    res = container.get("resources", {})
    if not res.get("requests") or not res.get("limits"):
        fail("container needs resources requests and limits")
    ok(f"{sts_path}: 2 replicas, state PVC, probes on management, env and args, non-root, resources")

    services = {d["metadata"]["name"]: (p, d) for p, d in docs["Service"]}
    headless = services.get(spec["serviceName"])
    if not headless or headless[1]["spec"].get("clusterIP") != "None":
        fail(f"serviceName {spec['serviceName']} must be a headless Service (clusterIP: None)")
    if not adv.split(".")[1] == spec["serviceName"]:
        fail("TOKENID_ADVERTISED_ADDRESS must use the headless Service's name")
    for name, (path, svc) in services.items():
        sel = svc["spec"]["selector"]
        if any(labels.get(k) != v for k, v in sel.items()):
            fail(f"{path}: Service {name} selector does not select the pods")
        if svc["metadata"].get("namespace") != sts["metadata"].get("namespace"):
            fail(f"{path}: Service {name} is not in the StatefulSet's namespace")
        for port in svc["spec"]["ports"]:
            if port.get("targetPort") not in ports and port.get("targetPort") not in ports.values():
                fail(f"{path}: targetPort {port.get('targetPort')} is not a container port")
    scrape = services.get("tokenid")
    if not scrape or {(p["name"], p["port"]) for p in scrape[1]["spec"]["ports"]} != {
            ("metrics", 9400), ("management", 9401)}:
        fail("Service tokenid must expose metrics 9400 and management 9401")
    ok(f"Services {sorted(services)}: select the pods, ports map to container ports")

    secrets = {d["metadata"]["name"]: d for _, d in docs["Secret"]}
    if "tokenid" not in secrets or "api-key" not in {**secrets["tokenid"].get("stringData", {}),
                                                     **secrets["tokenid"].get("data", {})}:
        fail("Secret tokenid with key api-key expected (mounted at /etc/prometheus/secrets/tokenid)")
    (cm_path, cm), = docs["ConfigMap"]
    (snippet_key, snippet), = cm["data"].items()
    jobs = yaml.safe_load(snippet)
    by_name = {j["job_name"]: j for j in jobs}
    if set(by_name) != {"tokenid", "tokenid-ops"}:
        fail(f"{cm_path}: jobs tokenid and tokenid-ops expected, got {sorted(by_name)}")
    if by_name["tokenid"].get("bearer_token_file") != SPEC_PATH_SECRET:
        fail(f"{cm_path}: job tokenid must use bearer_token_file: {SPEC_PATH_SECRET}")
    for j in jobs:
        if j.get("bearer_token_file") == SPEC_PATH_SECRET:
            j["bearer_token_file"] = os.path.abspath(key_file)
    with open(out_config, "w", encoding="utf-8") as f:
        yaml.safe_dump({"scrape_configs": jobs}, f, sort_keys=False)
    ok(f"{cm_path}: {snippet_key} has jobs tokenid (bearer_token_file) and tokenid-ops; "
       f"written as {out_config} for promtool")


def cmd_compose():
    compose = load_yaml("docker-compose.yml")
    svcs = compose["services"]
    for need in ("kafka", "tokenid-1", "tokenid-2", "traffic", "prometheus", "alertmanager", "grafana"):
        if need not in svcs:
            fail(f"docker-compose.yml: service {need} missing")
    if not svcs["kafka"]["image"].startswith("apache/kafka:"):
        fail("kafka must use the official apache/kafka image")
    for name in ("tokenid-1", "tokenid-2"):
        s = svcs[name]
        env = s["environment"]
        if env.get("TOKENID_ADVERTISED_ADDRESS") != f"{name}:9400":
            fail(f"{name}: TOKENID_ADVERTISED_ADDRESS must be {name}:9400")
        if env.get("TOKENID_BOOTSTRAP_SERVERS") != "kafka:9092":
            fail(f"{name}: TOKENID_BOOTSTRAP_SERVERS must be kafka:9092")
        if s.get("command") != ["run"]:
            fail(f"{name}: command must be [run]")
        if "/readyz" not in " ".join(s["healthcheck"]["test"]) or "9401" not in " ".join(s["healthcheck"]["test"]):
            fail(f"{name}: healthcheck must probe /readyz on 9401")
        if s["depends_on"].get("kafka", {}).get("condition") != "service_healthy":
            fail(f"{name}: must depend on kafka being healthy")
        tokens_dir = os.path.dirname(env["TOKENID_TOKENS_FILE"])
        mounts = {v.split(":")[1]: v.split(":")[0] for v in s["volumes"]}
        if mounts.get(tokens_dir) != "./ops/tokens":
            fail(f"{name}: ops/tokens must be mounted at {tokens_dir}")
        if mounts.get(env["TOKENID_STATE_DIR"]) not in compose["volumes"]:
            fail(f"{name}: the state dir must be a named volume")
    ok("tokenid-1/2: run, kafka:9092, distinct advertised addresses, tokens dir, state volumes, /readyz healthcheck")
    for name, s in svcs.items():
        for v in s.get("volumes", []):
            src = v.split(":")[0]
            if src.startswith("."):
                if not os.path.exists(src):
                    fail(f"{name}: bind-mount source {src} does not exist")
            elif src not in compose.get("volumes", {}):
                fail(f"{name}: volume {src} is not declared")
    ok("every bind-mount source exists and every named volume is declared")
    prom = load_yaml("ops/prometheus/prometheus.yml")
    jobs = {j["job_name"]: j for j in prom["scrape_configs"]}
    targets = lambda j: {t for sc in jobs[j]["static_configs"] for t in sc["targets"]}
    if targets("tokenid") != {"tokenid-1:9400", "tokenid-2:9400"} or \
            targets("tokenid-ops") != {"tokenid-1:9401", "tokenid-2:9401"}:
        fail("prometheus.yml must scrape both instances: tokenid on 9400, tokenid-ops on 9401")
    auth = jobs["tokenid"].get("authorization", {})
    if auth.get("type") != "Bearer" or not auth.get("credentials_file") or \
            jobs["tokenid"].get("metrics_path") != "/metrics" or jobs["tokenid"].get("scrape_interval") != "60s":
        fail("job tokenid must be the product page's shape (Bearer credentials_file, /metrics, 60s)")
    if "authorization" in jobs["tokenid-ops"] or "bearer_token_file" in jobs["tokenid-ops"]:
        fail("job tokenid-ops must not authenticate")
    ok("prometheus.yml: job tokenid (Bearer, /metrics, 60s) and tokenid-ops on both instances")
    with open("Dockerfile", encoding="utf-8") as f:
        dockerfile = f.read()
    if f"COPY {JAR_PATH} " not in dockerfile or not re.search(r"^EXPOSE 9400 9401$", dockerfile, re.M) \
            or not re.search(r"^USER ", dockerfile, re.M):
        fail(f"Dockerfile must COPY {JAR_PATH}, EXPOSE 9400 9401 and set a USER")
    with open(".dockerignore", encoding="utf-8") as f:
        ignore = f.read().split()
    if f"!{JAR_PATH}" not in ignore:
        fail(f".dockerignore must let {JAR_PATH} through")
    ok("Dockerfile copies the jar, exposes 9400 9401, runs as a non-root USER; .dockerignore admits the jar")


# ---------------------------------------------------------------------------------------------

def _flags_of(argv, where, out):
    """Record the --flags of one command line under its subcommand (first non-flag word)."""
    if not argv:
        return
    argv = [str(a) for a in argv]
    sub = argv[0]
    if sub.startswith("-"):
        fail(f"{where}: command line must start with a subcommand: {argv}")
    for a in argv[1:]:
        if a.startswith("--"):
            out.setdefault(sub, {}).setdefault(a.split("=", 1)[0], set()).add(where)


def _env_flags(env_names, where, out):
    # SPEC section 5: every flag --foo-bar of `run` has the twin TOKENID_FOO_BAR.
    for name in env_names:
        if name.startswith("TOKENID_"):
            flag = "--" + name[len("TOKENID_"):].lower().replace("_", "-")
            out.setdefault("run", {}).setdefault(flag, set()).add(f"{where} env {name}")


def cmd_flags(out_dir):
    out = {}
    compose = load_yaml("docker-compose.yml")
    for name, s in compose["services"].items():
        image = s.get("image", "")
        if not (s.get("build") or image.startswith("tokenid-metrics")):
            continue
        cmd = s.get("command")
        _flags_of(cmd if isinstance(cmd, list) else (cmd or "").split(), f"docker-compose.yml:{name}", out)
        env = s.get("environment") or {}
        _env_flags(env if isinstance(env, dict) else [e.split("=")[0] for e in env],
                   f"docker-compose.yml:{name}", out)
    for path in K8S:
        for d in load_yaml_all(path):
            if d.get("kind") not in ("StatefulSet", "Deployment", "Job", "CronJob"):
                continue
            for c in d["spec"]["template"]["spec"]["containers"]:
                _flags_of(list(c.get("command", [])) + list(c.get("args", [])), f"{path}:{c['name']}", out)
                _env_flags([e["name"] for e in c.get("env", [])], f"{path}:{c['name']}", out)
    os.makedirs(out_dir, exist_ok=True)
    for sub, flags in sorted(out.items()):
        with open(os.path.join(out_dir, sub), "w", encoding="utf-8") as f:
            for flag, wheres in sorted(flags.items()):
                f.write(f"{flag}\t{', '.join(sorted(wheres))}\n")
        ok(f"{sub}: {' '.join(sorted(flags))}")


def cmd_flags_help(sub, flags_file, help_file):
    with open(help_file, encoding="utf-8", errors="replace") as f:
        help_text = f.read()
    if not help_text.strip():
        fail(f"`{sub} --help` printed nothing")
    missing = []
    with open(flags_file, encoding="utf-8") as f:
        for line in f:
            flag, wheres = line.rstrip("\n").split("\t")
            if re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", help_text):
                ok(f"{sub} {flag}")
            else:
                missing.append(f"{flag} (used by {wheres})")
    if missing:
        fail(f"not in `{sub} --help`: " + "; ".join(missing))


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    fn = {
        "rules-coverage": cmd_rules_coverage, "dashboard": cmd_dashboard,
        "metric-names": cmd_metric_names, "jar-metric-names": cmd_jar_metric_names,
        "k8s": cmd_k8s, "compose": cmd_compose, "flags": cmd_flags, "flags-help": cmd_flags_help,
    }.get(cmd)
    if fn is None:
        print(__doc__)
        return 2
    fn(*args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
