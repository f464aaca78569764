#!/bin/bash
# ccon send: JSON contacts and CSV + layout, built by the wizard's draft and
# sent by its flow, against the real ccond (manual clock).
. "$(dirname "$0")/lib.sh"

cli_ccond_start || exit 1
camp=$(cli_api POST "/v1/applications/$CLI_APP_ID/campaigns" \
	'{"name":"Promo","channel":"whatsapp","templateName":"promo","templateParams":["name"]}' | jq .id)

cat >"$CLI_TMP/contacts.json" <<'J'
{"contacts":[{"contactCode":"+5511999990001","channelType":"cloud_api","customFields":{"name":"Ana"}},
{"contactCode":"+5511999990002","customFields":{"name":"Bo"}}]}
J
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --dry-run --json
cli_check "dry run exits 0" rc_is 0
cli_check "dry run: 2 accepted, no task" [ "$(out | jq -c '[.dryRun, .answers[0].accepted, .answers[0].taskId]')" = "[true,2,null]" ]
cli_check "dry run: the plan" [ "$(out | jq '[.answers[0].plan[].count] | add')" = 2 ]
cli_check "dry run: nothing on ccond" [ "$(cli_cmd get "/campaigns/$camp/summaries" | jq .resource.counts.total)" = 0 ]

cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --idempotency-key s1 --json
cli_check "send exits 0" rc_is 0
task=$(out | jq .answers[0].taskId)
cli_check "send: a task" [ "$task" -gt 0 ]
cli_check "send: ccond has the 2 recipients" [ "$(cli_cmd get "/campaigns/$camp/summaries" | jq .resource.counts.total)" = 2 ]
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --idempotency-key s1 --json
cli_check "the same key again: the same task" [ "$(out | jq .answers[0].taskId)" = "$task" ]
cli_check "the same key again: nothing doubled" [ "$(cli_cmd get "/campaigns/$camp/summaries" | jq .resource.counts.total)" = 2 ]
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --schedule-at 2099-01-01T00:00:00Z
cli_check "scheduleAt too far: invalid (3)" rc_is 3
cli_check "... at scheduleAt" err_has "scheduleAt"
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --delay PT1X
cli_check "a bad delay: invalid (3)" rc_is 3
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --delay PT30M --json
cli_check "a delay: scheduled 30 min later" [ "$(out | jq -r .answers[0].status)" = scheduled ]
cli_remote send --campaign "$camp" "$CLI_TMP/contacts.json" --slicing sometimes
cli_check "a bad slicing: invalid (3)" rc_is 3
echo '{"contacts":[{"contactCode":"+5511999990003","customFields":{"other":"x"}}]}' >"$CLI_TMP/lacking.json"
cli_remote send --campaign "$camp" "$CLI_TMP/lacking.json"
cli_check "a contact without the template's variable: invalid (3)" rc_is 3
echo '{"contacts":[{"contactCode":"12"}]}' >"$CLI_TMP/short.json"
cli_remote send --campaign "$camp" "$CLI_TMP/short.json"
cli_check "a bad phone: invalid (3)" rc_is 3
cli_check "... at its path" err_has "contacts[0].contactCode"
echo '{"contacts":[{"contactCode":7}]}' >"$CLI_TMP/type.json"
cli_remote send --campaign "$camp" "$CLI_TMP/type.json"
cli_check "a wrong type: invalid (3) at its path" bash -c "[ $CLI_RC -eq 3 ] && grep -qF 'contacts[0].contactCode' '$CLI_TMP/err'"
cli_remote send --campaign 999 "$CLI_TMP/contacts.json"
cli_check "an unknown campaign: 5" rc_is 5
cli_remote send "$CLI_TMP/contacts.json"
cli_check "no --campaign: usage (2)" rc_is 2

# 250 contacts: three requests, as the wizard batches them
jq -n '{contacts: [range(250) | {contactCode: ("+55119999" + (10000 + . | tostring)), customFields: {name: "N"}}]}' >"$CLI_TMP/many.json"
cli_remote send --campaign "$camp" "$CLI_TMP/many.json" --json
cli_check "250 contacts: 3 requests" [ "$(out | jq '.answers | length')" = 3 ]
cli_check "250 contacts: all accepted" [ "$(out | jq '[.answers[].accepted] | add')" = 250 ]

# CSV + layout
cat >"$CLI_TMP/layout.json" <<'L'
{"contact":{"contactCode":"{{phone}}","channelType":"cloud_api"},"customFields":{"name":"{{name}}"}}
L
printf 'phone,name\n+5511988880001,Ana\n+5511988880002,Bo\n123,bad\n' >"$CLI_TMP/a.csv"
cli_remote send --campaign "$camp" --csv "$CLI_TMP/a.csv" --layout "$CLI_TMP/layout.json" --json
cli_check "csv send exits 0" rc_is 0
cli_check "csv send: 2 accepted, 1 rejected" [ "$(out | jq -c '[.answers[0].accepted, .answers[0].rejected]')" = "[2,1]" ]
cli_check "csv send: the rejected row's line" [ "$(out | jq '.answers[0].errors[0].line')" = 4 ]
cli_remote send --campaign "$camp" --csv "$CLI_TMP/a.csv"
cli_check "--csv without --layout: usage (2)" rc_is 2
cli_remote send --campaign "$camp" --csv "$CLI_TMP/a.csv" --layout "$CLI_TMP/layout.json"
cli_check "csv send table: accepted" out_has "2 accepted, 1 rejected"
cli_check "csv send table: the rejected row" out_has "rejected: line 4"

cli_done
