/*
 * state.c — the simulation state as one flat vector.
 *
 * MuJoCo 2.2 has no mj_getState, so the shim defines the vector: every mjData input that mj_step
 * reads (not only positions and velocities: warm-start, controls, applied forces, mocap poses and
 * user data too), which is what makes restoring it reproduce a run bit for bit.
 * The order is listed once, in STATE_FIELDS, and used for size, get and set alike.
 */
#include <string.h>

#include "error.h"

#define STATE_FIELDS(m, d)                           \
  FIELD(&(d)->time, 1)                               \
  FIELD((d)->qpos, (m)->nq)                          \
  FIELD((d)->qvel, (m)->nv)                          \
  FIELD((d)->act, (m)->na)                           \
  FIELD((d)->qacc_warmstart, (m)->nv)                \
  FIELD((d)->ctrl, (m)->nu)                          \
  FIELD((d)->qfrc_applied, (m)->nv)                  \
  FIELD((d)->xfrc_applied, 6 * (m)->nbody)           \
  FIELD((d)->mocap_pos, 3 * (m)->nmocap)             \
  FIELD((d)->mocap_quat, 4 * (m)->nmocap)            \
  FIELD((d)->userdata, (m)->nuserdata)

static int state_size(const mjModel* m) {
  int size = 0;
#define FIELD(ptr, n) size += (n);
  STATE_FIELDS(m, unused) /* FIELD drops the pointer, so no mjData is needed for the count */
#undef FIELD
  return size;
}

int rmj_state_size(const mjModel* m, int* size) {
  RMJ_REQUIRE(m != NULL && size != NULL, "rmj_state_size: NULL argument");
  *size = state_size(m);
  return RMJ_OK;
}

int rmj_state_get(const mjModel* m, const mjData* d, double* state, int size) {
  RMJ_REQUIRE(m != NULL && d != NULL && state != NULL, "rmj_state_get: NULL argument");
  int expected = state_size(m);
  RMJ_REQUIRE(size == expected, "state buffer has %d values, the model's state has %d", size,
              expected);
  double* out = state;
#define FIELD(ptr, n)                                 \
  memcpy(out, (ptr), sizeof(double) * (size_t)(n)); \
  out += (n);
  STATE_FIELDS(m, d)
#undef FIELD
  return RMJ_OK;
}

int rmj_state_set(const mjModel* m, mjData* d, const double* state, int size) {
  RMJ_REQUIRE(m != NULL && d != NULL && state != NULL, "rmj_state_set: NULL argument");
  int expected = state_size(m);
  RMJ_REQUIRE(size == expected, "state has %d values, the model's state has %d", size, expected);
  const double* in = state;
#define FIELD(ptr, n)                                \
  memcpy((ptr), in, sizeof(double) * (size_t)(n)); \
  in += (n);
  STATE_FIELDS(m, d)
#undef FIELD
  return RMJ_OK;
}
