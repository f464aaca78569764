/* pane_csv_map.h - the CSV preview's layout mapping editor: the values of
 * the layout (contactCode, channelType, custom fields) with what each maps
 * to, the resolved contact of the preview's current row beside them, and
 * the layout JSON. Values are edited through the bottom prompt, checked on
 * every keystroke. The model is libccon's layout_map.h; the preview pane
 * (pane_csv.c) owns the editor. */
#ifndef CCON_TUI_PANE_CSV_MAP_H
#define CCON_TUI_PANE_CSV_MAP_H

#include "pane.h"

#include <ccon/csv_preview.h>
#include <ccon/layout_map.h>

#include <stdbool.h>

struct csv_map;

/* owner: the pane to mark dirty when a prompt changes the mapping. */
struct csv_map *csv_map_new(struct pane *owner, const char *const *columns, size_t n_columns);
void csv_map_free(struct csv_map *e);
struct ccon_layout_map *csv_map_model(struct csv_map *e);
/* A counter that moves on every change of the mapping. */
unsigned csv_map_version(const struct csv_map *e);
/* The header changed (delimiter or header override). */
void csv_map_set_columns(struct csv_map *e, const char *const *columns, size_t n_columns);
/* The campaign's template variables (NULL: none): each becomes a custom
 * field (ccon_layout_map_set_vars); those that still lack one are named
 * above the values. */
void csv_map_set_vars(struct csv_map *e, const struct ccon_template_vars *vars);
/* Draws the editor in area; row is the current row (NULL: none, with why). */
void csv_map_draw(struct csv_map *e, WINDOW *w, struct rect a, bool focused,
                  const struct ccon_csv_row *row, const char *why);
/* Moving, editing, adding and removing values: true when taken. */
bool csv_map_request(struct csv_map *e, enum request req);
/* :load-layout (the mapping's own file I/O through libccon). */
bool csv_map_load(struct csv_map *e, const char *path, char *msg, size_t size);

#endif
