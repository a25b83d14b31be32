#!/usr/bin/env bash
# Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.
#
# SfpPlatform's operator script: the first run and every upgrade take the same path.
#   ./sfp-platform.sh up           fill .env (generating the secrets it can), refuse blanks it cannot do without,
#                                  start or upgrade the stack (Caddy first, so the maintenance page answers while
#                                  the Api restarts), create the Hatchet API token, then check every service
#   ./sfp-platform.sh owner EMAIL  create a platform owner in GoTrue (app_metadata.sfp_role = owner)
#   ./sfp-platform.sh check        check every service's health through the edge and say what is wrong
#   ./sfp-platform.sh env          fill and check .env only
# Needs docker (or podman: SFP_CONTAINER_ENGINE=podman) with compose, openssl and curl on the host.
set -euo pipefail
cd "$(dirname "$0")"

ENGINE="${SFP_CONTAINER_ENGINE:-docker}"
ENV_FILE="${SFP_ENV_FILE:-.env}"
compose() { "$ENGINE" compose --env-file "$ENV_FILE" -f compose.yaml "$@"; }

# From the description: what compose cannot start without, and what this script can generate.
REQUIRED=(SFP_VERSION SFP_TLS_MODE SFP_PUBLIC_HOST SFP_ADMIN_HOST SFP_ADMIN_ALLOWLIST STUDIO_PASSWORD_HASH POSTGRES_PASSWORD AUTH_DB_PASSWORD JWT_SECRET PG_META_CRYPTO_KEY CREDENTIALS_ENCRYPTION_KEY VERDACCIO_READER_PASSWORD VERDACCIO_PUBLISHER_PASSWORD)
declare -A PURPOSE=(
  [SFP_VERSION]='release tag of the platform'\''s images (sfp-api, sfp-workers, sfp-web), e.g. 1.4.0'
  [SFP_TLS_MODE]='which Caddyfile to use: cloudflare, letsencrypt or custom'
  [SFP_PUBLIC_HOST]='public host name, e.g. sfp.example.com'
  [SFP_ADMIN_HOST]='DNS-only admin host name (Hatchet, Studio, Verdaccio on ports 8443-8445), e.g. admin.sfp.example.com'
  [SFP_ADMIN_ALLOWLIST]='client networks (CIDR, space-separated) allowed on the admin ports; clients of a published port often arrive from the bridge gateway'
  [STUDIO_PASSWORD_HASH]='Studio'\''s basic-auth password: base64 of the bcrypt hash '\''caddy hash-password'\'' prints (no dollar signs for compose to expand; sfp-platform.sh makes it)'
  [POSTGRES_PASSWORD]='Postgres superuser password (letters and digits: it goes into connection URLs)'
  [AUTH_DB_PASSWORD]='password of GoTrue'\''s database role supabase_auth_admin (letters and digits)'
  [JWT_SECRET]='HS256 secret GoTrue signs with and the Api checks, at least 32 characters'
  [PG_META_CRYPTO_KEY]='key Studio and postgres-meta encrypt connection strings with, at least 32 characters'
  [CREDENTIALS_ENCRYPTION_KEY]='pgcrypto key for provider credentials, at least 32 characters'
  [VERDACCIO_READER_PASSWORD]='password of Verdaccio'\''s sfp-reader account, as in verdaccio/htpasswd'
  [VERDACCIO_PUBLISHER_PASSWORD]='password of Verdaccio'\''s sfp-publisher account, as in verdaccio/htpasswd'
)
GENERATED=(POSTGRES_PASSWORD:32 AUTH_DB_PASSWORD:32 JWT_SECRET:48 PG_META_CRYPTO_KEY:32 CREDENTIALS_ENCRYPTION_KEY:48 VERDACCIO_READER_PASSWORD:32 VERDACCIO_PUBLISHER_PASSWORD:32)

env_get() {
  local line
  line=$(grep -E "^$1=" "$ENV_FILE" | tail -n 1 || true)
  line=${line#*=}
  line=${line%\"}; line=${line#\"}; line=${line%\'}; line=${line#\'}
  printf '%s' "$line"
}

env_set() {
  local tmp
  tmp=$(mktemp)
  grep -v -E "^$1=" "$ENV_FILE" > "$tmp" || true
  printf '%s=%s\n' "$1" "$2" >> "$tmp"
  cat "$tmp" > "$ENV_FILE"
  rm -f "$tmp"
}

random() { head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | cut -c "1-$1"; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

fill_env() {
  if [ ! -f "$ENV_FILE" ]; then
    cp .env.example "$ENV_FILE"
    chmod 600 "$ENV_FILE"
    echo "Created $ENV_FILE from .env.example: fill in the host names, the admin allowlist and the TLS mode."
  fi
  # It holds every secret: readable by its owner only.
  chmod 600 "$ENV_FILE"
  local entry name
  for entry in "${GENERATED[@]}"; do
    name=${entry%%:*}
    if [ -z "$(env_get "$name")" ]; then
      env_set "$name" "$(random "${entry#*:}")"
      echo "Generated $name."
    fi
  done
  if [ -z "$(env_get STUDIO_PASSWORD_HASH)" ] && command -v "$ENGINE" > /dev/null; then
    local password hash
    password=$(random 24)
    hash=$("$ENGINE" run --rm caddy:2.6.4-alpine caddy hash-password --plaintext "$password" | tr -d '\r\n' | openssl base64 -A)
    env_set STUDIO_PASSWORD_HASH "$hash"
    echo "Supabase Studio's password (user '$(env_get STUDIO_USERNAME || true)', blank means admin): $password"
    echo "It is shown once and kept only as a hash: store it now."
  fi
}

check_env() {
  local problems=() name mode dir
  for name in "${REQUIRED[@]}"; do
    if [ -z "$(env_get "$name")" ]; then
      problems+=("$name is blank: ${PURPOSE[$name]}")
    fi
  done
  mode=$(env_get SFP_TLS_MODE)
  dir=$(env_get TLS_CERT_DIR)
  dir=${dir:-./certs}
  case "$mode" in
    cloudflare) for name in origin.pem origin.key; do [ -f "$dir/$name" ] || problems+=("$dir/$name is missing (cloudflare: the origin certificate and its key)"); done ;;
    custom) for name in tls.crt tls.key; do [ -f "$dir/$name" ] || problems+=("$dir/$name is missing (custom: your CA's certificate and its key)"); done ;;
    letsencrypt | "") ;;
    *) problems+=("SFP_TLS_MODE is '$mode': use cloudflare, letsencrypt or custom") ;;
  esac
  if [ "${#problems[@]}" -gt 0 ]; then
    echo "$ENV_FILE is not complete; nothing was started:" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

# Verdaccio's two accounts, in the {SHA} scheme its htpasswd plugin reads (the passwords are long and random).
write_htpasswd() {
  local sha
  sha() { printf '%s' "$1" | openssl dgst -sha1 -binary | openssl base64 -A; }
  {
    printf 'sfp-publisher:{SHA}%s\n' "$(sha "$(env_get VERDACCIO_PUBLISHER_PASSWORD)")"
    printf 'sfp-reader:{SHA}%s\n' "$(sha "$(env_get VERDACCIO_READER_PASSWORD)")"
  } > verdaccio/htpasswd.new
  chmod 644 verdaccio/htpasswd.new
  mv verdaccio/htpasswd.new verdaccio/htpasswd
}

state() {
  local id
  id=$(compose ps -a -q "$1" 2> /dev/null || true)
  if [ -z "$id" ]; then echo missing; return; fi
  "$ENGINE" inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2> /dev/null || echo missing
}

wait_healthy() {
  local service=$1 limit=${2:-300} status
  local deadline=$((SECONDS + limit))
  while :; do
    status=$(state "$service")
    [ "$status" = healthy ] && return 0
    if [ "$SECONDS" -gt "$deadline" ]; then
      echo "$service is $status after ${limit}s; its last lines:" >&2
      compose logs --tail 30 "$service" >&2 || true
      return 1
    fi
    sleep 3
  done
}

# hatchet-admin inside the container, with the keys hatchet-lite keeps in its /config volume.
ensure_token() {
  [ -n "$(env_get HATCHET_CLIENT_TOKEN)" ] && return 0
  wait_healthy hatchet
  local token
  token=$(compose exec -T hatchet /hatchet-admin token create --config /config --tenant-id 707d0855-80ab-4e1f-a156-f1c4546cbf52 --name sfp-platform | tr -d '\r' | tail -n 1)
  if [ -z "$token" ]; then
    echo "hatchet-admin printed no token; see: $ENGINE compose logs hatchet" >&2
    exit 1
  fi
  env_set HATCHET_CLIENT_TOKEN "$token"
  echo "Created a Hatchet API token for the Api and Workers and saved it in $ENV_FILE."
}

up() {
  fill_env
  check_env
  write_htpasswd
  # Caddy first and on its own: while the Api is down or restarting it answers with the maintenance page.
  compose up -d --no-deps caddy
  compose up -d postgres postgres-init auth hatchet studio meta verdaccio
  ensure_token
  # Recreated when SFP_VERSION or their settings changed (an upgrade); the maintenance page covers the gap.
  compose up -d api workers web
  local service failed=0
  for service in caddy postgres auth hatchet studio meta verdaccio api workers web; do
    wait_healthy "$service" || failed=1
  done
  check
  return "$failed"
}

probe() {
  local name=$1 host=$2 port=$3 path=$4 expected=$5 code
  code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 15 --resolve "$host:$port:127.0.0.1" "https://$host:$port$path" || true)
  if [ "$code" = "$expected" ]; then
    printf '  ok    %-28s https://%s:%s%s\n' "$name" "$host" "$port" "$path"
  else
    printf '  FAIL  %-28s https://%s:%s%s answered %s, expected %s\n' "$name" "$host" "$port" "$path" "${code:-nothing}" "$expected"
    [ "$code" = 403 ] && echo "        403 on an admin port: add the address this host's requests come from (often the bridge gateway) to SFP_ADMIN_ALLOWLIST."
    [ "$code" = 503 ] && echo "        503: the maintenance page, the upstream is down."
    return 1
  fi
}

check() {
  local public admin failed=0 service status
  public=$(env_get SFP_PUBLIC_HOST)
  admin=$(env_get SFP_ADMIN_HOST)
  echo "Containers:"
  for service in caddy postgres auth hatchet studio meta verdaccio api workers web; do
    status=$(state "$service")
    printf '  %-6s %-12s %s\n' "$([ "$status" = healthy ] && echo ok || echo FAIL)" "$service" "$status"
    [ "$status" = healthy ] || failed=1
  done
  echo "Through the edge (Caddy on this host):"
  probe "web app" "$public" 443 / 200 || failed=1
  probe "Api" "$public" 443 /sfp/api/health 200 || failed=1
  probe "GoTrue" "$public" 443 /auth/v1/health 200 || failed=1
  probe "GoTrue admin API (closed)" "$public" 443 /auth/v1/admin/users 404 || failed=1
  probe "Hatchet dashboard" "$admin" 8443 /api/ready 200 || failed=1
  probe "Studio (asks to sign in)" "$admin" 8444 / 401 || failed=1
  probe "Verdaccio" "$admin" 8445 /-/ping 200 || failed=1
  if [ "$failed" -ne 0 ]; then
    echo "Something is wrong (above). Logs: $ENGINE compose logs <service>" >&2
    return 1
  fi
  echo "Every service is healthy."
}

# The first owner: GoTrue's admin API from inside the network (Caddy keeps it closed), with a short-lived
# service_role JWT signed with JWT_SECRET.
owner() {
  local email=${1:-}
  if ! [[ "$email" =~ ^[^\"\\[:space:]]+@[^\"\\[:space:]]+$ ]]; then
    echo "usage: $0 owner EMAIL" >&2
    exit 2
  fi
  local password now header payload signature body
  password=$(random 20)
  now=$(date +%s)
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"role":"service_role","iss":"sfp-platform.sh","iat":%d,"exp":%d}' "$now" "$((now + 300))" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$(env_get JWT_SECRET)" -binary | b64url)
  body=$(printf '{"email":"%s","password":"%s","email_confirm":true,"app_metadata":{"sfp_role":"owner"}}' "$email" "$password")
  if ! compose exec -T auth wget -q -O /dev/null \
    --header "Authorization: Bearer $header.$payload.$signature" --header "Content-Type: application/json" \
    --post-data "$body" "http://127.0.0.1:9999/admin/users"; then
    echo "GoTrue refused to create $email (does the user exist already? see: $ENGINE compose logs auth)" >&2
    exit 1
  fi
  echo "Created owner $email. One-time password: $password (sign in and change it)."
}

case "${1:-}" in
  up) up ;;
  owner) owner "${2:-}" ;;
  check) check ;;
  env) fill_env; check_env; echo "$ENV_FILE is complete." ;;
  *) sed -n '4,10p' "$0"; exit 2 ;;
esac
