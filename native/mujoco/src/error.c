/* error.c — last-error buffer, MuJoCo error/warning handlers, the warning queue. */
#include "error.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MuJoCo's own messages are capped at 1000 characters; room for our prefix too. */
#define RMJ_MESSAGE_CAPACITY 1200

static _Thread_local char tls_error[RMJ_MESSAGE_CAPACITY];
static _Thread_local jmp_buf* tls_jump;

const char* rmj_last_error(void) { return tls_error; }

int rmj_fail(int status, const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(tls_error, sizeof tls_error, format, args);
  va_end(args);
  return status;
}

void rmj_error_prefix(const char* where) {
  char message[RMJ_MESSAGE_CAPACITY];
  snprintf(message, sizeof message, "%s", tls_error);
  int room = (int)(sizeof tls_error - strlen(where) - 3); /* truncate MuJoCo's text, not ours */
  snprintf(tls_error, sizeof tls_error, "%s: %.*s", where, room > 0 ? room : 0, message);
}

jmp_buf* rmj_guard_push(jmp_buf* env) {
  rmj_install_handlers();
  jmp_buf* previous = tls_jump;
  tls_jump = env;
  return previous;
}

void rmj_guard_pop(jmp_buf* previous) { tls_jump = previous; }

static void on_mujoco_error(const char* message) {
  if (tls_jump != NULL) {
    rmj_fail(RMJ_EMUJOCO, "MuJoCo error: %s", message);
    longjmp(*tls_jump, 1);
  }
  /* Raised outside any shim call (someone called MuJoCo directly): there is no caller to return
   * to and returning into MuJoCo is undefined, so stop loudly rather than corrupt memory. */
  fprintf(stderr, "MuJoCo error outside a robotics_mujoco call: %s\n", message);
  abort();
}

/* ---- warnings: a small process-wide ring; warnings are rare, so a mutex is cheap enough ---- */
#define RMJ_WARNING_SLOTS 32

static pthread_mutex_t warning_lock = PTHREAD_MUTEX_INITIALIZER;
static char warning_ring[RMJ_WARNING_SLOTS][RMJ_MESSAGE_CAPACITY];
static int warning_head, warning_count, warning_dropped;

static void on_mujoco_warning(const char* message) {
  pthread_mutex_lock(&warning_lock);
  if (warning_count == RMJ_WARNING_SLOTS) {  /* full: keep the newest, count the loss */
    warning_head = (warning_head + 1) % RMJ_WARNING_SLOTS;
    warning_count--;
    warning_dropped++;
  }
  int slot = (warning_head + warning_count) % RMJ_WARNING_SLOTS;
  snprintf(warning_ring[slot], RMJ_MESSAGE_CAPACITY, "%s", message);
  warning_count++;
  pthread_mutex_unlock(&warning_lock);
}

int rmj_warning_pop(char* buf, int capacity, int* popped, int* dropped) {
  RMJ_REQUIRE(buf != NULL && capacity > 0 && popped != NULL, "rmj_warning_pop: bad arguments");
  pthread_mutex_lock(&warning_lock);
  *popped = warning_count > 0;
  if (*popped) {
    snprintf(buf, (size_t)capacity, "%s", warning_ring[warning_head]);
    warning_head = (warning_head + 1) % RMJ_WARNING_SLOTS;
    warning_count--;
  } else {
    buf[0] = '\0';
  }
  if (dropped != NULL) *dropped = warning_dropped;
  warning_dropped = 0;
  pthread_mutex_unlock(&warning_lock);
  return RMJ_OK;
}

/* ---- handler installation ---------------------------------------------------------------- */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install(void) {
  mju_user_error = on_mujoco_error;
  mju_user_warning = on_mujoco_warning;
}

void rmj_install_handlers(void) { pthread_once(&install_once, install); }

/* Also install at load time, so warnings from the very first MuJoCo call are caught. */
__attribute__((constructor)) static void install_at_load(void) { rmj_install_handlers(); }

int rmj_version(int* version, const char** version_string) {
  RMJ_REQUIRE(version != NULL && version_string != NULL, "rmj_version: NULL output");
  *version = mj_version();
  *version_string = mj_versionString();
  return RMJ_OK;
}
