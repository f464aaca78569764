/* demo.h - placeholder until implemented. */
#ifndef CCOND_DEMO_H
#define CCOND_DEMO_H
#endif
