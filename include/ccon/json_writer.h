/* ccon/json_writer.h - placeholder until implemented. */
#ifndef CCON_JSON_WRITER_H
#define CCON_JSON_WRITER_H
#endif
