/* ccon/dynamic_flow.h - placeholder: being written (issue 6, seed 002's
 * dynamic audiences over the command envelope). */
#ifndef CCON_DYNAMIC_FLOW_H
#define CCON_DYNAMIC_FLOW_H

#endif
