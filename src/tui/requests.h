/* requests.h - everything a user can ask the console to do: one X-macro
 * list that makes the request enum, the names key bindings use, the default
 * keys and the help overlay (and ccon(1)'s key table follows it).
 *
 * REQ_GROUP(title) starts a group of the help overlay;
 * REQ_(NAME, "default keys", "binding-name", "help text"): the default keys
 * are key specs separated by spaces ("j <Down>"). */
#ifndef CCON_TUI_REQUESTS_H
#define CCON_TUI_REQUESTS_H

#include <stddef.h>

#define REQ_INFO(REQ_GROUP, REQ_) \
	REQ_GROUP("Moving") \
	REQ_(MOVE_DOWN, "j <Down>", "move-down", "Move the cursor down") \
	REQ_(MOVE_UP, "k <Up>", "move-up", "Move the cursor up") \
	REQ_(PAGE_DOWN, "<PgDn> <C-f> <Space>", "move-page-down", "Move one screen down") \
	REQ_(PAGE_UP, "<PgUp> <C-b>", "move-page-up", "Move one screen up") \
	REQ_(MOVE_FIRST, "g <Home>", "move-first", "Move to the first line") \
	REQ_(MOVE_LAST, "G <End>", "move-last", "Move to the last line") \
	REQ_GROUP("Panes") \
	REQ_(ENTER, "<Enter>", "enter", "Open the campaign under the cursor") \
	REQ_(BACK, "<Esc> <Left>", "back", "Close the pane, back to the one below") \
	REQ_(VIEW_CLOSE, "q", "view-close", "Close the pane; quit from the last one") \
	REQ_(QUIT, "Q", "quit", "Quit the console") \
	REQ_(HELP, "? <F1>", "help", "Show or hide this help") \
	REQ_(COMMAND, ":", "command", "Open the command line (:help lists the commands)") \
	REQ_GROUP("Campaigns") \
	REQ_(SORT_NEXT, "s", "sort-next", "Sort by the next column") \
	REQ_(SORT_REVERSE, "S", "sort-reverse", "Reverse the sort order") \
	REQ_(FILTER, "/", "filter", "Filter the list (Enter keeps, Esc clears)") \
	REQ_(REFRESH, "r <F5>", "refresh", "Poll the server now") \
	REQ_(SEND_NEW, "n", "send-new", "Compose a send of the campaign under the cursor (the send wizard)") \
	REQ_(REDRAW, "<C-l>", "redraw", "Redraw the screen") \
	REQ_GROUP("Report") \
	REQ_(FOCUS_NEXT, "<Tab>", "focus-next", "Move between the failures and the recipients") \
	REQ_(RAW_JSON, "J", "raw-json", "Show the raw JSON of the last answer") \
	REQ_(RECIPIENTS_ALL, "x", "recipients-all", "List every recipient again (clear the failure filter)") \
	REQ_GROUP("Editing") \
	REQ_(FOCUS_PREV, "<S-Tab>", "focus-prev", "Move back: the previous step or part") \
	REQ_(EDIT, "e", "edit", "Edit the value under the cursor (Enter keeps it, Esc drops it)") \
	REQ_GROUP("Audience") \
	REQ_(AUDIENCE_ADD, "a", "audience-add", "Add a contact and type its number") \
	REQ_(AUDIENCE_DUPLICATE, "c", "audience-duplicate", "Duplicate the contact under the cursor") \
	REQ_(AUDIENCE_DELETE, "d", "audience-delete", "Delete the contact under the cursor") \
	REQ_(AUDIENCE_CLEAR, "<Del>", "audience-clear", "Remove the custom field under the cursor from this contact") \
	REQ_(AUDIENCE_FIELD_ADD, "+", "audience-field-add", "Add a custom field column") \
	REQ_(AUDIENCE_FIELD_RENAME, "R", "audience-field-rename", "Rename the custom field under the cursor in every contact") \
	REQ_(AUDIENCE_FIELD_REMOVE, "-", "audience-field-remove", "Remove the custom field under the cursor from every contact") \
	REQ_(AUDIENCE_PASTE, "p", "audience-paste", "Paste many numbers (Ctrl-D adds them, Esc drops them)") \
	REQ_GROUP("CSV preview") \
	REQ_(CSV_MAP_COLUMN, "m", "csv-map-column", "Map the layout value under the cursor to a CSV column") \
	REQ_(CSV_MAP_FIXED, "f", "csv-map-fixed", "Give the layout value under the cursor a fixed value") \
	REQ_(CSV_VALIDATE, "v", "csv-validate", "Validate the whole file again with the current layout") \
	REQ_(CSV_USE, "u", "csv-use", "Use this file and its layout for a send") \
	REQ_GROUP("Transactional SMS") \
	REQ_(TX_FLASH, "F", "tx-flash", "Turn flash (class 0) on or off") \
	REQ_(TX_NLS_MODE, "N", "tx-nls-mode", "Next nlsMode: auto, standard, spanish") \
	REQ_(TX_SEND_TYPE, "T", "tx-send-type", "Next sendTypeOverride: list (transactional), all (massive)") \
	REQ_GROUP("Envelope campaign") \
	REQ_(ENVELOPE_COLUMN_NEXT, "l <Right>", "envelope-column-next", "Move to the next column of the audiences table") \
	REQ_(ENVELOPE_COLUMN_PREV, "h", "envelope-column-prev", "Move to the previous column of the audiences table") \
	REQ_GROUP("Dynamic audiences") \
	REQ_(DYN_ROUND_SEND, "W", "dyn-round-send", "Send the round being composed (or the CSV shown) to the server") \
	REQ_(DYN_CSV_OPEN, "o", "dyn-csv-open", "Read a CSV file (recipient, parameters, #contextvariables#) for a round") \
	REQ_(DYN_DISPATCH, "D", "dyn-dispatch", "Dispatch the campaign (asks y/N; no audience can be added afterwards)") \
	REQ_(DYN_PAGE_NEXT, "]", "dyn-page-next", "Next page of the audience the server holds") \
	REQ_(DYN_PAGE_PREV, "[", "dyn-page-prev", "Previous page of the audience the server holds")

enum request {
	REQ_NONE,
#define REQ_ENUM_GROUP(title)
#define REQ_ENUM(name, keys, bind, help) REQ_##name,
	REQ_INFO(REQ_ENUM_GROUP, REQ_ENUM)
#undef REQ_ENUM_GROUP
#undef REQ_ENUM
	REQ__COUNT
};

struct request_info {
	enum request req;       /* REQ_NONE: a group title */
	const char *keys;       /* the default keys */
	const char *name;       /* the binding name; the group title for a group */
	const char *help;
};

/* The table in the order of REQ_INFO, groups included. */
const struct request_info *request_table(size_t *n);
/* The request called `name` ("move-down"), or REQ_NONE. */
enum request request_by_name(const char *name);

#endif
