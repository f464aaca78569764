#!/bin/bash
# TLS verification, for real: the real ccond behind a TLS front
# (tests/tools/tls_front.py) with a self-signed certificate made here.
# Without the profile's ca_file the handshake is refused and ccon exits with
# the network code and says why; with it the same request goes through; a
# certificate for another host name is refused even with its ca_file; no
# option or setting turns verification off.
. "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || { echo "openssl is required (apt-get install openssl)"; exit 99; }
command -v python3 >/dev/null || { echo "python3 is required (apt-get install python3)"; exit 99; }
front="$(dirname "$0")/../tools/tls_front.py"

# cert NAME SAN - a self-signed certificate (its own authority) and its key
cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
		-addext "subjectAltName=$2" -keyout "$CLI_TMP/$1.key" -out "$CLI_TMP/$1.pem" \
		>/dev/null 2>&1
}
cert loopback IP:127.0.0.1 || { echo "openssl req failed"; exit 1; }
cert elsewhere DNS:elsewhere.example || { echo "openssl req failed"; exit 1; }

cli_ccond_start || exit 1
upstream=${CLI_URL##*:}
upstream=${upstream%%/*}

# front NAME - a TLS front with NAME's certificate; sets FRONT and FRONT_LOG
front() {
	FRONT_LOG="$CLI_TMP/front-$1.log"
	python3 "$front" "$CLI_TMP/$1.pem" "$CLI_TMP/$1.key" "$upstream" \
		>"$CLI_TMP/front-$1.out" 2>"$FRONT_LOG" &
	CLI_PIDS+=("$!")
	for _ in $(seq $((100 * TEST_SLOW))); do
		FRONT=$(head -1 "$CLI_TMP/front-$1.out")
		[ -n "$FRONT" ] && return 0
		sleep 0.05
	done
	echo "the TLS front did not start:"
	cat "$FRONT_LOG"
	return 1
}

# profile NAME URL [CA_FILE] - a configuration file with that profile
profile() {
	{
		echo "profile = $1"
		echo "[profile $1]"
		echo "url = $2"
		echo "app = $CLI_APP_ID"
		echo "token_env = CCON_TEST_KEY"
		[ -n "${3:-}" ] && echo "ca_file = $3"
	} >"$CLI_TMP/config"
}

front loopback || exit 1
url=https://127.0.0.1:$FRONT
log=$FRONT_LOG

profile tls "$url"
CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" campaigns --retries 1
cli_check "self-signed, no ca_file: network (6)" rc_is 6
cli_check "self-signed, no ca_file: the message says the certificate" \
	grep -qiE 'certificate' "$CLI_TMP/err"
cli_check "self-signed, no ca_file: the message names the server" err_has "$url"
cli_check "self-signed, no ca_file: the front saw the handshake refused" \
	grep -q 'handshake failed' "$log"
cli_check "self-signed, no ca_file: no request reached the server" \
	bash -c "! grep -q 'relayed [1-9]' '$log'"
cli_check "the token is not in the message" bash -c "! grep -qF '$CLI_KEY' '$CLI_TMP/err'"

CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" campaigns --json --retries 1
cli_check "--json: the error object says network" [ "$(out | jq -r .error.exit)" = network ]

cli_api POST "/v1/applications/$CLI_APP_ID/campaigns" \
	'{"name":"Over TLS","channel":"whatsapp","templateName":"promo"}' >/dev/null
profile tls "$url" "$CLI_TMP/loopback.pem"
CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" campaigns --json
cli_check "with ca_file: 0" rc_is 0
cli_check "with ca_file: the campaign made on the server is listed" \
	[ "$(out | jq -r '.items[] | select(.name == "Over TLS") | .name')" = "Over TLS" ]
cli_check "with ca_file: the request went through the front" grep -q 'relayed [1-9]' "$log"

front elsewhere || exit 1
profile other "https://127.0.0.1:$FRONT" "$CLI_TMP/elsewhere.pem"
CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" campaigns --retries 1
cli_check "a certificate for another host, even with its ca_file: network (6)" rc_is 6
cli_check "another host: the message says so" err_has "no alternative certificate subject name matches"
cli_check "another host: nothing was relayed" bash -c "! grep -q 'relayed [1-9]' '$FRONT_LOG'"

for flag in --insecure -k --no-verify --ca-file=/dev/null; do
	CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" $flag campaigns
	cli_check "$flag is no option: usage (2)" rc_is 2
done
for setting in "insecure = true" "ssl_verify = false" "verify = no"; do
	profile tls "$url" "$CLI_TMP/loopback.pem"
	echo "$setting" >>"$CLI_TMP/config"
	CCON_TEST_KEY=$CLI_KEY cli_run --config "$CLI_TMP/config" campaigns
	cli_check "'$setting' is no setting: refused" [ "$CLI_RC" -ne 0 ]
	cli_check "'$setting': the error says where and lists the keys" \
		err_has "config:7:1: unknown key (in a profile: url, app, token, token_env, token_command, ca_file)"
done

cli_done
