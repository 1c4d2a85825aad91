/* data.c — mjData lifetime, stepping, forward dynamics, resets. */
#include "data.h"

void rmj_data_repair_stack(mjData* d) {
  /* An mju_error longjmp skips the mjFREESTACK of every frame it unwinds, leaving pstack where the
   * failing call had pushed it. No shim call is running on this data any more, so the stack is
   * empty by definition; without this every caught error would leak stack until overflow. */
  d->pstack = 0;
}

int rmj_data_make(const mjModel* m, mjData** out) {
  RMJ_REQUIRE(m != NULL && out != NULL, "rmj_data_make: NULL argument");
  mjData* d = NULL;
  int status;
  RMJ_GUARD(status, d = mj_makeData(m));
  if (status != RMJ_OK) return status;
  if (d == NULL) return rmj_fail(RMJ_EMUJOCO, "mj_makeData failed (out of memory?)");
  *out = d;
  return RMJ_OK;
}

int rmj_data_free(mjData* d) {
  if (d != NULL) mj_deleteData(d);
  return RMJ_OK;
}

int rmj_data_copy(const mjModel* m, mjData* dst, const mjData* src) {
  RMJ_REQUIRE(m != NULL && dst != NULL && src != NULL, "rmj_data_copy: NULL argument");
  int status;
  RMJ_GUARD_DATA(status, dst, mj_copyData(dst, m, src));
  return status;
}

static void step_n(const mjModel* m, mjData* d, int nstep) {
  for (int i = 0; i < nstep; i++) mj_step(m, d);
}

int rmj_data_step(const mjModel* m, mjData* d, int nstep) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_step: NULL model or data");
  RMJ_REQUIRE(nstep >= 0, "rmj_data_step: negative step count %d", nstep);
  int status;
  RMJ_GUARD_DATA(status, d, step_n(m, d, nstep));
  return status;
}

int rmj_data_step1(const mjModel* m, mjData* d) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_step1: NULL model or data");
  int status;
  RMJ_GUARD_DATA(status, d, mj_step1(m, d));
  return status;
}

int rmj_data_step2(const mjModel* m, mjData* d) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_step2: NULL model or data");
  int status;
  RMJ_GUARD_DATA(status, d, mj_step2(m, d));
  return status;
}

int rmj_data_forward(const mjModel* m, mjData* d) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_forward: NULL model or data");
  int status;
  RMJ_GUARD_DATA(status, d, mj_forward(m, d));
  return status;
}

static void kinematics(const mjModel* m, mjData* d) {
  mj_kinematics(m, d);
  mj_comPos(m, d);
}

int rmj_data_kinematics(const mjModel* m, mjData* d) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_kinematics: NULL model or data");
  int status;
  RMJ_GUARD_DATA(status, d, kinematics(m, d));
  return status;
}

int rmj_data_reset(const mjModel* m, mjData* d) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_reset: NULL model or data");
  int status;
  RMJ_GUARD_DATA(status, d, mj_resetData(m, d));
  return status;
}

int rmj_data_reset_keyframe(const mjModel* m, mjData* d, int key) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_reset_keyframe: NULL model or data");
  RMJ_REQUIRE(key >= 0 && key < m->nkey, "keyframe %d is out of range: the model has %d", key,
              m->nkey);
  int status;
  RMJ_GUARD_DATA(status, d, mj_resetDataKeyframe(m, d, key));
  return status;
}
