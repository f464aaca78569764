/* placeholder: being written */
#ifndef INCLUDE_CCON_SEND_FLOW_H
#define INCLUDE_CCON_SEND_FLOW_H
#endif
