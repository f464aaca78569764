/* model_internal.h - what model.c, model_view.c and model_focus.c share (placeholder). */
#ifndef CCON_MODEL_INTERNAL_H
#define CCON_MODEL_INTERNAL_H
#endif
