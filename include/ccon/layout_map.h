/* placeholder: being written */
#ifndef INCLUDE_CCON_LAYOUT_MAP_H
#define INCLUDE_CCON_LAYOUT_MAP_H
#endif
