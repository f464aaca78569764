/* contacts_file.h - a JSON contacts file into a roster (audience.h). */
#ifndef CCON_CLI_CONTACTS_FILE_H
#define CCON_CLI_CONTACTS_FILE_H

#include <ccon/audience.h>
#include <ccon/error.h>

#include <stddef.h>

/* Appends the file's contacts to out, each checked by the roster as it is
 * added (invalid rows are kept, marked: ccon_roster_check reports them
 * with their paths). -1 with err for JSON that is not a contacts list:
 * syntax (line/column as ccon_json_parse gives them), or a wrong type at
 * its path ("contacts[3].customFields.age"). */
int cli_contacts_parse(const char *text, size_t len, struct ccon_roster *out,
                       struct ccon_error *err);

#endif
