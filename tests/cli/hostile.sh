#!/bin/bash
# Hostile text from the server, printed by the subcommands as harmless
# visible text: no ESC, CSI (C1 0x9B), other C1 controls, DEL, BEL or bidi
# override reaches stdout or stderr, in tables or --json; wide UTF-8 names
# stay aligned.
. "$(dirname "$0")/lib.sh"

cli_ccond_start || exit 1
# seed 002's set /campaign/v2 stores names as given (the REST routes refuse
# controls): ESC [2J, BEL, OSC 52, C1 CSI, DEL, RLO and the isolates
evil=$(curl -sS -H "Authorization: Key $CLI_KEY" -H 'Content-Type: application/json' \
	--data-binary '{"id":"1","to":"postmaster@activecampaign.msging.net","method":"set",
	"uri":"/campaign/v2","type":"application/vnd.iris.activecampaign.campaign-v2+json",
	"resource":{"campaign":{"name":"Evil \u001b[2J clear \u0007 \u001b]52;c;b3duZWQ=\u0007 \u009b31m \u007f \u202egnp.exe \u2066iso\u2069 end",
	"campaignType":"Batch"},"message":{"messageTemplate":"t"}}}' "$CLI_URL/commands")
id=$(printf '%s' "$evil" | jq -r .resource.id)
cli_check "the hostile campaign exists" [ -n "$id" ] && [ "$id" != null ]
for name in "日本語のキャンペーン" "Ñandú" "plain"; do
	cli_api POST "/v1/applications/$CLI_APP_ID/campaigns" \
		"{\"name\":\"$name\",\"channel\":\"sms\",\"templateBody\":\"hi\"}" >/dev/null
done

# no ESC, BEL, DEL, C1 (U+0080..U+009F as UTF-8: C2 80..C2 9F), bidi
# controls (U+202A..U+202E, U+2066..U+2069)
harmless() {
	! LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}

cli_remote campaigns
cli_check "campaigns: exits 0" rc_is 0
cli_check "campaigns: nothing hostile on stdout" harmless "$CLI_TMP/out"
cli_check "campaigns: the name as visible text" out_has "Evil ^[[2J clear ^G ^[]52;c;b3duZWQ=^G <U+009B>31m ^? <U+202E>gnp.exe <U+2066>iso<U+2069> end"
cli_remote campaigns --json
cli_check "campaigns --json: nothing hostile on stdout" harmless "$CLI_TMP/out"
want='"Evil \u001b[2J clear \u0007 \u001b]52;c;b3duZWQ=\u0007 \u009b31m \u007f \u202egnp.exe \u2066iso\u2069 end"'
cli_check "campaigns --json: the exact name, escaped" bash -c "jq -e --argjson want '$want' '.items[] | select(.id == \"$id\") | .name == \$want' '$CLI_TMP/out' >/dev/null"
cli_remote report "$id"
cli_check "report: nothing hostile on stdout" harmless "$CLI_TMP/out"
cli_check "report: the name as text" out_has "<U+202E>gnp.exe"
# stderr: a server's error message carrying the name
cli_remote cancel "$id"
cli_remote cancel "$id"
cli_check "an error: nothing hostile on stderr" harmless "$CLI_TMP/err"
cli_remote cancel "$id" --json
cli_check "an error --json: nothing hostile on stdout" harmless "$CLI_TMP/out"

# UTF-8 names aligned: the STATUS column starts at the same cell in every line
cli_remote campaigns
cols=$(python3 - "$CLI_TMP/out" <<'P'
import sys, unicodedata
def cells(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
cols = set()
for line in open(sys.argv[1], encoding='utf-8'):
    for word in ('sms', 'CHANNEL'):
        i = line.find(word)
        if i >= 0:
            cols.add(cells(line[:i]))
            break
print(len(cols))
P
)
cli_check "wide names: the channel column lines up" [ "$cols" = 1 ]
cli_check "wide names printed whole" out_has "日本語のキャンペーン"

cli_done
