#!/bin/bash
# Hostile text, end to end, in the console: campaign names, template
# bodies and variables, reason descriptions, a campaign's failed reason,
# seed 002 names, templates and audience parameters, CSV cells and the
# console's own messages carry C0/C1 controls, DEL, ESC/CSI/OSC sequences
# (a screen clear, a cursor move, a title, an OSC 8 hyperlink, an OSC
# with BEL) and bidi overrides (U+202E, U+2066..U+2069). Each hostile
# piece follows a marker ZZx. ccon's raw output (tmux pipe-pane, from its
# first byte) is scanned: no C0 but BS/HT/LF/CR/ESC, no DEL, no OSC, DCS,
# APC, PM or SOS, no C1 or bidi/format code point, no invalid UTF-8, a
# marker never followed by a raw hostile byte, and the visible rendering
# (^[[2J, <U+202E>) next to each marker; the screen shows it too. Also:
# ccond's access log and the embedded engine's ccon.log carry no raw
# control byte from a request, and :export neutralises formula cells
# (@ + -; = in report.sh) but not phone numbers.
. "$(dirname "$0")/lib.sh"
for tool in python3 sqlite3 jq curl; do
	command -v "$tool" >/dev/null || { echo "$tool is required"; exit 99; }
done

RAW="$TUI_TMP/raw"

# rec_start CMD... - tui_start, ccon's output recorded from its first byte
# (it waits for the pipe to be in place before it runs).
rec_start() {
	rm -f "$TUI_TMP/go"
	tui_start sh -c 'while [ ! -e "$0" ]; do sleep 0.02; done; exec "$@"' "$TUI_TMP/go" "$@"
	tmux -S "$TUI_SOCK" pipe-pane -O -t t "cat >>'$RAW'"
	touch "$TUI_TMP/go"
}

# scan FILE - the forbidden bytes in a terminal stream; prints each.
cat >"$TUI_TMP/scan.py" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
bad = []
def show(i, before=24, after=16):
    return repr(data[max(0, i - before):i + after])
# C0 but BS, HT, LF, CR and ESC (curses' own); DEL
for m in re.finditer(rb'[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]', data):
    bad.append('C0/DEL at %d: %s' % (m.start(), show(m.start())))
# OSC, DCS, APC, PM, SOS: curses never sends them here
for m in re.finditer(rb'\x1b[\]P^_X]', data):
    bad.append('OSC/DCS/APC/PM/SOS at %d: %s' % (m.start(), show(m.start())))
text = data.decode('utf-8', 'surrogateescape')
for m in re.finditer('[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069'
                     '\ufeff\ufff9-\ufffb]|[\udc80-\udcff]', text):
    i = len(text[:m.start()].encode('utf-8', 'surrogateescape'))
    bad.append('C1/bidi/invalid UTF-8 U+%04X at %d: %s' % (ord(m.group(0)), i, show(i)))
# a marker right before a raw hostile byte: the injected text as sent
for m in re.finditer(rb'ZZ[0-9A-Z](?=[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9])', data):
    bad.append('raw after marker at %d: %s' % (m.start(), show(m.start(), 0, 24)))
for b in bad[:30]:
    print('    ' + b)
sys.exit(1 if bad else 0)
PY
clean_stream() { python3 "$TUI_TMP/scan.py" "$1"; }
# rendered TEXT - the visible rendering is in ccon's output stream
rendered() { grep -qaF -- "$1" "$RAW"; }
# no_raw_control FILE - no C0 (but LF, TAB), DEL, C1 or bidi control
no_raw_control() {
	! LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}

tui_ccond_start --clock manual --access-log "$TUI_TMP/access.log" || exit 99
DB="$TUI_TMP/ccond/ccond.db"
sql() { sqlite3 -cmd '.timeout 5000' "$DB" "$@"; }
cmd() {
	curl -sS -H "Authorization: Key $TUI_KEY" -H 'Content-Type: application/json' \
		--data-binary "$1" "$TUI_URL/commands"
}
tui_api POST /v1/admin/clock '{"set":"2027-01-04T09:00:00Z"}' >/dev/null
for i in 1 2 3 4 5 6; do
	tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
		"{\"name\":\"camp$i\",\"channel\":\"whatsapp\",\"templateName\":\"t\",\"templateBody\":\"Hi {{name}}\"}" >/dev/null
done
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns" \
	'{"name":"sms","channel":"sms","templateBody":"Hi {{name}}"}' >/dev/null
# campaign 1: 13 and 50 fail at send, 47 and 49 after processed (ccond(8),
# THE SIM DRIVER), 01 is read
contacts='{"contacts":[{"contactCode":"+34666000113","channelType":"cloud_api","customFields":{"name":"Ana"}},
{"contactCode":"+34666000150","channelType":"cloud_api","customFields":{"name":"Bo"}},
{"contactCode":"+34666000147","channelType":"cloud_api","customFields":{"name":"Di"}},
{"contactCode":"+34666000149","channelType":"cloud_api","customFields":{"name":"Ed"}},
{"contactCode":"+34666000101","channelType":"cloud_api","customFields":{"name":"Cy"}}]}'
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns/1/send" "$contacts" | grep -q '"accepted":5' ||
	{ echo "the send was refused"; exit 99; }
# campaign 2: scheduled, then canceled by delete (a failed reason)
tui_api POST "/v1/applications/$TUI_APP_ID/campaigns/2/send" \
	"${contacts%\}},\"scheduleAt\":\"2027-01-05T09:00:00Z\"}" | grep -q '"accepted":5' ||
	{ echo "the scheduled send was refused"; exit 99; }
cmd '{"id":"d","to":"postmaster@activecampaign.msging.net","method":"delete","uri":"/campaigns/2"}' |
	grep -q '"status":"success"' || { echo "the cancel was refused"; exit 99; }
tui_api POST /v1/admin/clock '{"advance":"PT1H"}' >/dev/null
# seed 002 stores names, templates and parameters as given
v2=$(cmd '{"id":"v","to":"postmaster@activecampaign.msging.net","method":"set","uri":"/campaign/v2",
	"type":"application/vnd.iris.activecampaign.campaign-v2+json","resource":{"campaign":{"name":"ZZE\u001b[2J\u202e!",
	"campaignType":"Batch","channelType":"WhatsApp"},"message":{"messageTemplate":"ZZF\u001b]0;T\u0007!","messageParams":["p1"]}}}' |
	jq -r .resource.id)
[ -n "$v2" ] && [ "$v2" != null ] || { echo "no /campaign/v2 campaign"; exit 99; }
cmd "{\"id\":\"a\",\"to\":\"postmaster@activecampaign.msging.net\",\"method\":\"set\",\"uri\":\"/audiences/v2/$v2\",
	\"type\":\"application/vnd.iris.activecampaign.audience-v2+json\",\"resource\":[{\"recipient\":\"+34666777888\",
	\"messageParams\":{\"p1\":\"ZZG\u001b[2J\u009b\u2066!\"}}]}" | grep -q '"accepted":1' ||
	{ echo "the v2 audience was refused"; exit 99; }
# what the REST routes refuse, a hostile server may still answer: the store
# is changed under the real ccond
esc="char(27)"
sql "UPDATE campaigns SET name = 'ZZ1' || $esc || '[2J!' WHERE id = 1;
UPDATE campaigns SET name = 'ZZ2' || $esc || ']0;PWN' || char(7) || '!' WHERE id = 2;
UPDATE campaigns SET name = 'ZZ3' || $esc || ']8;;http://e/' || $esc || '\L!' WHERE id = 3;
UPDATE campaigns SET name = 'ZZ4' || char(155) || '2J' || char(133) || '!' WHERE id = 4;
UPDATE campaigns SET name = 'ZZ5' || char(127) || char(8238) || 'exe!' WHERE id = 5;
UPDATE campaigns SET name = 'ZZ6' || char(8294) || 'i' || char(8297) || $esc || '[5;5H!' WHERE id = 6;
UPDATE campaigns SET name = 'ZZ9' || char(155) || 'sms!',
	template_body = 'ZZ8' || $esc || '[2J Hi {{name}} {{v' || $esc || ']0;X' || char(7) || '}} ' || char(8238) || 'end'
	WHERE id = 7;
UPDATE recipients SET reason_description = 'ZZ7' || $esc || '[1;31mRED' || char(8238) || $esc || ']0;T' || char(7) || '!'
	WHERE campaign_id = 1 AND reason_code = '131026';
UPDATE recipients SET reason_description = '@SUM(A1)' WHERE campaign_id = 1 AND reason_code = '131050';
UPDATE recipients SET reason_description = '-2+3' WHERE campaign_id = 1 AND reason_code = '131047';
UPDATE recipients SET reason_description = '+cmd|calc' WHERE campaign_id = 1 AND reason_code = '131049';
UPDATE recipients SET reason_description = 'ZZH' || $esc || '[H' || char(8297) || '!' WHERE campaign_id = 2;
UPDATE tasks SET cancel_reason = 'ZZH' || $esc || '[H' || char(8297) || '!' WHERE campaign_id = 2;" ||
	{ echo "the store could not be changed"; exit 99; }

rec_start env CCON_TEST_TOKEN="$TUI_KEY" "$CCON_BIN" --url "$TUI_URL" \
	--token-env CCON_TEST_TOKEN --app "$TUI_APP_ID" --refresh 3600

# ---- the campaign list
tui_expect "list: a CSI clear shown as text" "ZZ1^[[2J!"
tui_expect "list: an OSC title with BEL" "ZZ2^[]0;PWN^G!"
tui_expect "list: an OSC 8 hyperlink with ST" "ZZ3^[]8;;http://e/^[\\L!"
tui_expect "list: C1 CSI and NEL" "ZZ4<U+009B>2J<U+0085>!"
tui_expect "list: DEL and RLO" "ZZ5^?<U+202E>exe!"
tui_expect "list: isolates and a cursor move" "ZZ6<U+2066>i<U+2069>^[[5;5H!"
tui_expect "list: a seed 002 name" "ZZE^[[2J<U+202E>!"
tui_expect_re "the list is not cleared or moved: the title line stays" "^ ccon [0-9.]+  Campaigns"

# ---- the report: name, failure groups, recipients' reasons, raw JSON
# (opened by id: typed text next to a marker would look like an injection)
tui_command "open 1"
tui_expect "report: the name" "Report: ZZ1^[[2J!"
tui_expect "report: a failure group's reason" "ZZ7^[[1;31mRED<U+202E>^[]0;T^G!"
tui_expect "report: a recipient's reason" "131026 ZZ7^[[1;31mRED"
# J shows the last answer: the failures' or a page of recipients
for _ in $(seq 20); do
	tui_keys J
	tui_wait_for '"reasonDescription": "ZZ7' 1 && break
	tui_keys Escape
	sleep 0.5
done
tui_expect "raw JSON: controls escaped, bidi shown" '"ZZ7\u001b[1;31mRED<U+202E>\u001b]0;T\u0007!"' 1
tui_keys Escape
# ---- :export: formulas neutralised, phone numbers kept
tui_command "export $TUI_TMP/report.csv"
tui_expect "exported" "exported 5 recipient rows to $TUI_TMP/report.csv" 10
tui_check "CSV: an @ formula gets an apostrophe" grep -qF "131050,'@SUM(A1),1" "$TUI_TMP/report.csv"
tui_check "CSV: a - formula gets one" grep -qF "131047,'-2+3" "$TUI_TMP/report.csv"
tui_check "CSV: a + formula gets one" grep -qF "131049,'+cmd|calc" "$TUI_TMP/report.csv"
tui_check "CSV: a +34 number is intact" grep -q '^+34666000101,read,' "$TUI_TMP/report.csv"
tui_keys Escape
tui_keys Escape

# ---- a canceled campaign's failed reason
tui_command "open 2"
tui_expect "report: a failed reason from the server" "ZZH^[[H<U+2069>!"
tui_keys Escape
tui_keys Escape

# ---- the wizard: the template and its variables, the transactional form
tui_command "send 7"
tui_expect "wizard: the campaign's name" "ZZ9<U+009B>sms!"
tui_keys 1
tui_keys j j Enter
tui_expect "wizard: the template body" "ZZ8^[[2J Hi {{name}} {{v^[]0;X^G}} <U+202E>end"
tui_keys 3
tui_keys Enter
tui_expect "transactional form: opened" "Transactional SMS  "
tui_keys a
tui_keys -l "+34666777888"
tui_keys Enter
tui_expect "transactional form: the message rendered" "ZZ8^[[2J Hi {{name}}"
tui_keys Escape
tui_keys 1
tui_keys g Enter
tui_keys 3
tui_keys Enter
tui_expect "audience editor: opened" "Audience  "
tui_keys a
tui_keys -l "+34666777889"
tui_keys Enter
tui_expect "audience editor: a variable named with an OSC" "v^[]0;X^G"
tui_keys Escape Escape Escape Escape
tui_wait_for "Campaigns  " 5

# ---- the dynamic pane: the server's name, template and audience
tui_command "send $v2"
tui_expect "dynamic: the name" "ZZE^[[2J<U+202E>!"
tui_expect "dynamic: the template" "ZZF^[]0;T^G!"
tui_expect "dynamic: the audience the server holds" "p1=ZZG^[[2J<U+009B><U+2066>!"
tui_keys Escape Escape Escape
tui_wait_for "Campaigns  " 5

# ---- the CSV preview of a hostile file
printf 'phone,name,note\n+34666777888,ZZB\033[2J!,=cmd\n+34666777889,"ZZC\033]8;;http://e/\033\\\\L!",@x\n+34666777890,ZZD\xc2\x9b31m\xe2\x81\xa6i\xe2\x81\xa9\x7f!,-a\n' \
	>"$TUI_TMP/hostile.csv"
tui_command "open $TUI_TMP/hostile.csv"
tui_expect "CSV: a CSI cell" "ZZB^[[2J!"
tui_expect "CSV: an OSC 8 cell" "ZZC^[]8;;http://e/"
tui_expect "CSV: a C1 CSI" "ZZD<U+009B>31m"
tui_keys Escape
tui_wait_for "Campaigns  " 5

# ---- messages and errors with hostile text typed by the user
tui_command "$(printf 'open ZZJ\xe2\x80\xae\xc2\x9bx')"
tui_expect "an error message shows the bidi and C1 as text" "ZZJ<U+202E><U+009B>x"
tui_command "$(printf 'send ZZK\xe2\x81\xa7\xc2\x85')"
tui_expect ":send: the name in the error, as text" "ZZK<U+2067><U+0085>"
tui_command "$(printf 'filter ZZQ\xe2\x81\xa8!')"
tui_expect "the filter in the heading, as text" "filter: ZZQ<U+2068>"
tui_command "filter"

tui_keys Q
tui_wait_for "[exit" 10
tui_check "ccon's output: no forbidden byte or code point" clean_stream "$RAW"
tui_check "ccon's output: the renderings next to the markers" \
	sh -c "grep -qaF 'ZZ1^[[2J!' '$RAW' && grep -qaF 'ZZ5^?<U+202E>exe!' '$RAW' &&
		grep -qaF 'ZZ7^[[1;31mRED<U+202E>' '$RAW' && grep -qaF 'ZZG^[[2J<U+009B><U+2066>!' '$RAW'"

# ---- ccond's access log: raw bytes in request targets
python3 - "$TUI_URL" <<'PY' || tui_not_ok "raw requests could not be sent"
import socket, sys
host, port = sys.argv[1][len('http://'):].split(':')
for target in (b'/v1/health?x=ZZL\x1b[2J\x07', b'/v1/ZZM\x1b]0;T\x07\xc2\x9b\xe2\x80\xae\x7f'):
    s = socket.create_connection((host, int(port)))
    s.sendall(b'GET ' + target + b' HTTP/1.1\r\nHost: x\r\nUser-Agent: \x1b[2J\r\nConnection: close\r\n\r\n')
    s.recv(4096)
    s.close()
PY
sleep 0.3
tui_check "access log: the hostile requests are logged" grep -qF 'ZZM\x1B]0;T\x07\xC2\x9B' "$TUI_TMP/access.log"
tui_check "access log: no raw control byte" no_raw_control "$TUI_TMP/access.log"
tui_check "ccond's log: no raw control byte" no_raw_control "$TUI_TMP/ccond.log"

# ---- the embedded engine: its stderr log (ccon.log) after hostile requests
: >"$RAW"
rec_start "$CCON_BIN" --no-demo --refresh 1
tui_expect "the embedded console is up" "embedded |" 20
engine="$XDG_DATA_HOME/ccon/engine"
for _ in $(seq 50); do [ -s "$engine" ] && break; sleep 0.1; done
EURL=$(sed -n 's/^url //p' "$engine")
EKEY=$(sed -n 's/^key //p' "$engine")
curl -sS -H "Authorization: Key $EKEY" -H 'Content-Type: application/json' --data-binary \
	'{"id":"e\u001b[2J","to":"postmaster@activecampaign.msging.net","method":"set","uri":"/campaign/v2\u001b]0;T\u0007",
	"type":"application/vnd.iris.activecampaign.campaign-v2+json","resource":{"campaign":{"name":"ZZN\u001b[2J\u202e!"}}}' \
	"$EURL/commands" >/dev/null
curl -sS -H "Authorization: Key $EKEY" -H 'Content-Type: application/json' --data-binary \
	'{"id":"e2","to":"postmaster@activecampaign.msging.net","method":"set","uri":"/campaign/v2",
	"type":"application/vnd.iris.activecampaign.campaign-v2+json","resource":{"campaign":{"name":"ZZO\u001b[2J\u202e!",
	"campaignType":"Batch","channelType":"WhatsApp"},"message":{"messageTemplate":"t"}}}' "$EURL/commands" >/dev/null
python3 - "$EURL" <<'PY'
import socket, sys
host, port = sys.argv[1][len('http://'):].split(':')
s = socket.create_connection((host, int(port)))
s.sendall(b'GET /v1/ZZP\x1b]0;T\x07\xc2\x9b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
s.recv(4096)
s.close()
PY
tui_expect "embedded: the hostile name as text" "ZZO^[[2J<U+202E>!" 10
tui_keys Q
tui_wait_for "[exit" 10
tui_check "embedded: ccon's output clean" clean_stream "$RAW"
tui_check "embedded: ccon.log exists" test -f "$XDG_DATA_HOME/ccon/ccon.log"
tui_check "embedded: ccon.log has no raw control byte" no_raw_control "$XDG_DATA_HOME/ccon/ccon.log"

tui_done
