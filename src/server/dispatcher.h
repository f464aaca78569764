/* dispatcher.h - placeholder until implemented. */
#ifndef CCOND_DISPATCHER_H
#define CCOND_DISPATCHER_H
#endif
