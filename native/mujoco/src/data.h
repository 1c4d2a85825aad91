/* data.h — helpers shared by the files that run MuJoCo on an mjData. */
#ifndef RMJ_DATA_H_
#define RMJ_DATA_H_

#include "error.h"

/* Empties d's scratch stack after a caught mju_error (see data.c). */
void rmj_data_repair_stack(mjData* d);

/* RMJ_GUARD for a call that may push d's stack: repairs the stack if MuJoCo failed. */
#define RMJ_GUARD_DATA(status, d, statement)          \
  do {                                                \
    RMJ_GUARD(status, statement);                     \
    if ((status) != RMJ_OK) rmj_data_repair_stack(d); \
  } while (0)

#endif /* RMJ_DATA_H_ */
