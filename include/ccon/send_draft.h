/* placeholder: being written */
#ifndef INCLUDE_CCON_SEND_DRAFT_H
#define INCLUDE_CCON_SEND_DRAFT_H
#endif
