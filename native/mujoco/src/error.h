/*
 * error.h — the shim's failure plumbing: the thread-local last-error message and the guard that
 * turns mju_error into a status instead of an abort.
 *
 * MuJoCo's error handler must not return (MuJoCo would carry on with broken state), so the
 * handler installed here longjmps to the innermost RMJ_GUARD of the current thread. Only the
 * guarded statement runs under the jump buffer; everything it leaves half-done must be repaired
 * by the caller (see rmj_data_repair_stack).
 */
#ifndef RMJ_ERROR_H_
#define RMJ_ERROR_H_

#include <setjmp.h>

#include "robotics_mujoco.h"

/* Stores a formatted message as this thread's last error and returns `status`. */
int rmj_fail(int status, const char* format, ...) __attribute__((format(printf, 2, 3)));

/* Installs the MuJoCo error/warning handlers (once per process; called by every guard). */
void rmj_install_handlers(void);

/* Prefixes the last error with the shim function in which MuJoCo failed. */
void rmj_error_prefix(const char* where);

/* Makes `env` the current thread's jump target and returns the previous one. */
jmp_buf* rmj_guard_push(jmp_buf* env);
void rmj_guard_pop(jmp_buf* previous);

/*
 * RMJ_GUARD(status, statement): runs statement; status becomes RMJ_OK, or RMJ_EMUJOCO when
 * MuJoCo raised an error (its message, prefixed with the enclosing function's name, is then the
 * last error). setjmp must live in the frame that stays alive, hence a macro. Locals written by
 * `statement` are not reliable afterwards on the error path (C's setjmp rules), so guarded
 * statements only call MuJoCo and write results through pointers.
 */
#define RMJ_GUARD(status, statement)                              \
  do {                                                            \
    jmp_buf rmj_env_;                                             \
    jmp_buf* volatile rmj_outer_ = rmj_guard_push(&rmj_env_);     \
    if (setjmp(rmj_env_) == 0) {                                  \
      statement;                                                  \
      rmj_guard_pop(rmj_outer_);                                  \
      (status) = RMJ_OK;                                          \
    } else {                                                      \
      rmj_guard_pop(rmj_outer_);                                  \
      rmj_error_prefix(__func__);                                 \
      (status) = RMJ_EMUJOCO;                                     \
    }                                                             \
  } while (0)

#define RMJ_REQUIRE(cond, ...) \
  do { if (!(cond)) return rmj_fail(RMJ_EARGUMENT, __VA_ARGS__); } while (0)

#endif /* RMJ_ERROR_H_ */
