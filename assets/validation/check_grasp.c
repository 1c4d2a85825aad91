// check_grasp.c: scripted grasp-and-lift of the puck in pick-place (and of the peg in
// peg-insert-side, with the hand yawed 90 deg), using the recommended controller (IK +
// gravity compensation + velocity feed-forward, common.h). Sequence per trial: TCP 10 cm above
// the object, descend to the grasp height, close (ctrl 0), lift 10 cm, hold 1 s.
// Success: the object rose >= 9.5 cm and stayed between the pads.
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_grasp assets/validation/check_grasp.c -lmujoco -lm && /tmp/check_grasp
#include "common.h"

typedef struct { double lift, final_gap, tcp_to_obj; int ok, warn, nan; } GraspResult;

static GraspResult grasp(const char* task, const char* body, const char* jnt, double x, double y,
                         double z_obj, double z_grasp, double yaw) {
  mjModel* m = load_task(task);
  if (!m) exit(1);
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, id_or_die(m, mjOBJ_KEY, "home"));
  int j = id_or_die(m, mjOBJ_JOINT, jnt), b = id_or_die(m, mjOBJ_BODY, body);
  int adr = m->jnt_qposadr[j];
  d->qpos[adr] = x;
  d->qpos[adr + 1] = y;
  d->qpos[adr + 2] = z_obj;
  mj_forward(m, d);
  // let the object settle on the table
  for (int k = 0; k < 100; k++) {
    mj_step1(m, d);
    for (int i = 0; i < NARM; i++) d->qfrc_applied[i] = d->qfrc_bias[i];
    mj_step2(m, d);
  }
  Ctl c;
  ctl_init(&c, m, d, 0);
  double z0 = d->xpos[3 * b + 2];
  double above[3] = {x, y, z_grasp + 0.10}, at[3] = {x, y, z_grasp}, up[3] = {x, y, z_grasp + 0.10};
  ctl_move(&c, above, 0.08, 0.01, 10);
  if (yaw != 0) ctl_turn(&c, yaw, 0.08, 60);  // wrist turns at <= 2 rad/s
  ctl_move(&c, above, 0.08, 0.01, 20);
  ctl_move(&c, at, 0.08, 0.005, 30);
  ctl_move(&c, at, 0.0, 0.01, 30);  // close: 30 env steps = 0.375 s
  ctl_move(&c, up, 0.0, 0.005, 80);  // lift, then hold 1 s
  GraspResult r;
  r.lift = d->xpos[3 * b + 2] - z0;
  int lp = id_or_die(m, mjOBJ_SITE, "left_pad"), rp = id_or_die(m, mjOBJ_SITE, "right_pad");
  double g[3];
  mju_sub3(g, d->site_xpos + 3 * lp, d->site_xpos + 3 * rp);
  r.final_gap = mju_norm3(g);
  double e[3];
  mju_sub3(e, d->site_xpos + 3 * c.ee, d->xpos + 3 * b);
  r.tcp_to_obj = mju_norm3(e);
  r.warn = warnings_total(d);
  r.nan = has_nan(m, d);
  r.ok = r.lift > 0.095 && r.tcp_to_obj < 0.03 && !r.nan;
  ctl_free(&c);
  mj_deleteData(d);
  mj_deleteModel(m);
  return r;
}

int main(void) {
  int ok = 1;
  // puck: the corners and centre of the pick-place object range (x in [-0.1,0.1], y in [0.4,0.5])
  const double pucks[][2] = {{0, 0.45}, {-0.1, 0.4}, {0.1, 0.4}, {-0.1, 0.5}, {0.1, 0.5}};
  for (int i = 0; i < 5; i++) {
    GraspResult r = grasp("pick-place", "obj", "obj_joint", pucks[i][0], pucks[i][1], 0.02, 0.02, 0);
    printf("pick-place puck at (%5.2f, %4.2f): lifted %.1f mm, pad gap %.1f mm, TCP-puck %.1f mm, "
           "warnings %d -> %s\n", pucks[i][0], pucks[i][1], r.lift * 1e3, r.final_gap * 1e3,
           r.tcp_to_obj * 1e3, r.warn, r.ok ? "LIFTED" : "FAILED");
    ok &= r.ok;
  }
  // peg: lying along x; the hand is yawed +90 deg so the fingers close along world y
  const double pegs[][2] = {{0.1, 0.4}, {0.0, 0.3}, {0.2, 0.5}};
  for (int i = 0; i < 3; i++) {
    GraspResult r = grasp("peg-insert-side", "peg", "peg_joint", pegs[i][0], pegs[i][1], 0.015, 0.02, M_PI / 2);
    printf("peg-insert-side peg at (%4.2f, %4.2f): lifted %.1f mm, pad gap %.1f mm, TCP-peg %.1f mm, "
           "warnings %d -> %s\n", pegs[i][0], pegs[i][1], r.lift * 1e3, r.final_gap * 1e3,
           r.tcp_to_obj * 1e3, r.warn, r.ok ? "LIFTED" : "FAILED");
    ok &= r.ok;
  }
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
