#!/usr/bin/env bash
# Mints a TokenID token for the local docker-compose stack and puts both halves in place:
#   - its SHA-256 digest, as a line of ops/tokens/tokens.txt   (read by tokenid-1 and tokenid-2)
#   - the token itself, in ops/prometheus/secrets/tokenid/api-key  (read by Prometheus)
#   - once, a random ops/tokens/internal-secret: the secret tokenid-1 and tokenid-2 share to sign
#     their requests to each other (TOKENID_INTERNAL_SECRET_FILE); kept when it exists
#
# Usage: ops/tokens/mint-local.sh --admin | --org ORG   [--force]
#   --admin   the token reads every org (handy for the demo dashboards)
#   --org     the token reads ORG only (trimmed and lowercased, as the service does)
#   --force   replace an existing api-key (the old token's line stays in tokens.txt: delete it
#             to revoke)
#
# Same format as `java -jar tokenid-metrics.jar token create`: a td_live_ token, and
# "<hex SHA-256 of the token> org:<org>" or "<hex SHA-256 of the token> admin".
# Needs only bash and coreutils (sha256sum, base64).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tokens_file="$here/tokens.txt"
key_file="$(cd "$here/.." && pwd)/prometheus/secrets/tokenid/api-key"

role="" org="" force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --admin) role="admin"; shift ;;
    --org) [[ $# -ge 2 ]] || { echo "--org needs a value" >&2; exit 2; }; role=org; org="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown argument: $1 (use --admin or --org ORG)" >&2; exit 2 ;;
  esac
done
[[ -n "$role" ]] || { echo "usage: $0 --admin | --org ORG [--force]" >&2; exit 2; }

if [[ "$role" == org ]]; then
  org="$(printf '%s' "$org" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | tr '[:upper:]' '[:lower:]')"
  if [[ -z "$org" || "$org" =~ [[:space:]#] || ${#org} -gt 128 ]]; then
    echo "invalid org id: '$org' (1..128 chars, no whitespace or '#')" >&2; exit 2
  fi
fi
if [[ -e "$key_file" && $force -eq 0 ]]; then
  echo "$key_file exists; pass --force to replace it" >&2; exit 1
fi

token="td_live_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
digest="$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)"
if [[ "$role" == admin ]]; then scope="admin"; else scope="org:$org"; fi

if [[ ! -e "$tokens_file" ]]; then
  printf '# TokenID tokens file of the local stack (format: tokens.txt.example)\n' > "$tokens_file"
fi
printf '# %s mint-local.sh, Prometheus scrape token\n%s %s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$digest" "$scope" >> "$tokens_file"
chmod 0644 "$tokens_file"           # digests only; the container user must read it

mkdir -p "$(dirname "$key_file")"
( umask 022; printf '%s' "$token" > "$key_file.tmp" )
mv -f "$key_file.tmp" "$key_file"   # 0644: prom/prometheus runs as nobody and must read it

secret_file="$here/internal-secret"
if [[ ! -e "$secret_file" ]]; then
  (umask 022; head -c 48 /dev/urandom | base64 -w0 > "$secret_file")   # 64 chars; read by uid 10001
  echo "wrote      $secret_file (the instances' shared internal secret)"
fi

echo "added to   $tokens_file: $digest $scope"
echo "token in   $key_file"
echo "try:       curl -s -H \"Authorization: Bearer \$(cat $key_file)\" http://localhost:9400/metrics"
