/* driver.h - placeholder until implemented. */
#ifndef CCOND_DRIVER_H
#define CCOND_DRIVER_H
#endif
