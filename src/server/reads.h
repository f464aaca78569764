/* reads.h - the campaign-level and task-level reads of DESIGN §2.1
 * (summaries, audience, messages, report), as libccon's codec_reports
 * structs, paged with $skip/$take. Used by /commands and the REST reads. */
#ifndef CCOND_READS_H
#define CCOND_READS_H

#include <ccon/codec_command.h>
#include <ccon/codec_reports.h>
#include <ccon/error.h>

#include <sqlite3.h>
#include <stdint.h>

#endif
