// check_control.c: position servos of the Panda.
//  1. hold: start at the home keyframe with ctrl = home, simulate 2 s; report how far the TCP
//     (ee_site) moves, with and without gravity compensation (qfrc_applied = qfrc_bias on the
//     arm dofs, which is what Franka's own controller adds). "drift" = motion after the first
//     0.25 s (once the servo has taken up the gravity load); "sag" = total offset from the start.
//  2. track: a Cartesian TCP target moving 1 cm per env step (12.5 ms = 5 physics steps,
//     0.8 m/s) along 30-70 cm paths, turned into joint targets by damped-least-squares IK each
//     env step; report the TCP-to-target lag while moving, the overshoot past the end point,
//     and the error 0.25 s after the target stops. Three controller modes:
//       servo   ctrl = q_target only;
//       gc      + qfrc_applied = qfrc_bias (gravity/Coriolis compensation);
//       gc+ff   + velocity feed-forward damping_i * qdot_target_i, qdot_target = change of
//               q_target per env step / 0.0125 s, clamped to Franka's joint speed limits.
//     The joint damping is the servo's D gain; feed-forward cancels it along the commanded
//     motion (the recommended controller, see assets/README.md).
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_control assets/validation/check_control.c -lmujoco -lm && /tmp/check_control
#include "common.h"

static const double VMAX[NARM] = {2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61};  // rad/s

static void gravcomp(const mjModel* m, mjData* d) {
  for (int i = 0; i < NARM; i++) d->qfrc_applied[i] = d->qfrc_bias[i];
}

// gravity compensation + velocity feed-forward of the joint damping
static void gravcomp_ff(const mjModel* m, mjData* d, const double* qd_target) {
  for (int i = 0; i < NARM; i++) d->qfrc_applied[i] = d->qfrc_bias[i] + m->dof_damping[i] * qd_target[i];
}

static double dist3(const double* a, const double* b) {
  return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

static void hold(const mjModel* m, mjData* d, int comp, double* sag, double* drift) {
  int ee = id_or_die(m, mjOBJ_SITE, "ee_site");
  mj_resetDataKeyframe(m, d, id_or_die(m, mjOBJ_KEY, "home"));
  mj_forward(m, d);
  double p0[3], p1[3];
  memcpy(p0, d->site_xpos + 3 * ee, sizeof p0);
  *sag = 0;
  *drift = 0;
  int nsteps = (int)(2.0 / m->opt.timestep), settle = (int)(0.25 / m->opt.timestep);
  for (int k = 0; k < nsteps; k++) {
    if (comp) gravcomp(m, d);
    mj_step(m, d);
    double s = dist3(d->site_xpos + 3 * ee, p0);
    if (s > *sag) *sag = s;
    if (k == settle) memcpy(p1, d->site_xpos + 3 * ee, sizeof p1);
    if (k > settle) {
      double dr = dist3(d->site_xpos + 3 * ee, p1);
      if (dr > *drift) *drift = dr;
    }
  }
}

typedef struct { double lag_mean, lag_max, overshoot, final_err; int settle; } TrackResult;

// Follow a straight TCP path a->b at 1 cm per env step with the home orientation; after the
// target stops, keep stepping 40 env steps (0.5 s).
static TrackResult track(const mjModel* m, mjData* d, int comp, const double* a, const double* b) {
  int ee = id_or_die(m, mjOBJ_SITE, "ee_site");
  double R[9];
  home_ee_rot(m, R);
  mjData* s = mj_makeData(m);
  // start: settle at `a`
  mj_resetDataKeyframe(m, d, id_or_die(m, mjOBJ_KEY, "home"));
  mj_resetDataKeyframe(m, s, id_or_die(m, mjOBJ_KEY, "home"));
  ik_site(m, s, ee, a, R, 300, NULL);
  set_arm(m, d, s->qpos, 0.08);
  for (int k = 0; k < 400; k++) { if (comp) gravcomp(m, d); mj_step(m, d); }
  double len = dist3(a, b), step = 0.01;
  int nenv = (int)ceil(len / step);
  TrackResult r = {0, 0, 0, 0, -1};
  for (int k = 1; k <= nenv + 40; k++) {
    double t = k * step / len;
    if (t > 1) t = 1;
    double tgt[3];
    for (int i = 0; i < 3; i++) tgt[i] = a[i] + t * (b[i] - a[i]);
    double qprev[NARM], qd[NARM];
    for (int i = 0; i < NARM; i++) qprev[i] = s->qpos[i];
    ik_site(m, s, ee, tgt, R, 50, NULL);  // warm-started from the previous target
    for (int i = 0; i < NARM; i++) {
      d->ctrl[i] = s->qpos[i];
      qd[i] = (s->qpos[i] - qprev[i]) / 0.0125;
      qd[i] = qd[i] > VMAX[i] ? VMAX[i] : (qd[i] < -VMAX[i] ? -VMAX[i] : qd[i]);
    }
    for (int sub = 0; sub < 5; sub++) {
      if (comp == 1) gravcomp(m, d);
      if (comp == 2) gravcomp_ff(m, d, qd);
      mj_step(m, d);
    }
    const double* p = d->site_xpos + 3 * ee;
    double e = dist3(p, tgt);
    if (k <= nenv) {
      r.lag_mean += e / nenv;
      if (e > r.lag_max) r.lag_max = e;
    } else {
      double along = 0;  // how far past the end point, along the path
      for (int i = 0; i < 3; i++) along += (p[i] - b[i]) * (b[i] - a[i]) / len;
      if (along > r.overshoot) r.overshoot = along;
      if (r.settle < 0 && e < 2e-3) r.settle = k - nenv;
      if (k == nenv + 20) r.final_err = e;
    }
  }
  mj_deleteData(s);
  return r;
}

int main(void) {
  mjModel* m = load_task("reach");
  if (!m) return 1;
  mjData* d = mj_makeData(m);
  int ok = 1;
  for (int comp = 0; comp < 2; comp++) {
    double sag, drift;
    hold(m, d, comp, &sag, &drift);
    printf("hold home 2 s %-22s: max TCP offset %.2f mm, drift after 0.25 s %.4f mm, warnings %d\n",
           comp ? "(gravity compensated)" : "(servo only)", sag * 1e3, drift * 1e3, warnings_total(d));
    if (drift > 1e-3) ok = 0;
    if (comp && sag > 1e-3) ok = 0;
  }
  const double paths[][6] = {
      {0, 0.40, 0.20, 0.0, 0.70, 0.20},       // forward
      {-0.25, 0.50, 0.15, 0.25, 0.50, 0.15},  // sideways
      {0.10, 0.45, 0.05, 0.10, 0.45, 0.35},   // up
      {0, 0.70, 0.30, 0, 0.30, 0.05},         // back and down
      {0.30, 0.30, 0.10, -0.30, 0.60, 0.30},  // diagonal
  };
  const char* modes[3] = {"servo only", "servo + gravity compensation",
                          "servo + gravity compensation + velocity feed-forward"};
  for (int comp = 0; comp < 3; comp++) {
    printf("track 1 cm/env step (0.8 m/s), %s:\n", modes[comp]);
    for (int p = 0; p < 5; p++) {
      TrackResult r = track(m, d, comp, paths[p], paths[p] + 3);
      printf("  (%5.2f,%4.2f,%4.2f)->(%5.2f,%4.2f,%4.2f): lag mean %4.1f max %4.1f mm, overshoot %4.1f mm,"
             " within 2 mm after %2d env steps, error 0.25 s after stop %.2f mm\n",
             paths[p][0], paths[p][1], paths[p][2], paths[p][3], paths[p][4], paths[p][5],
             r.lag_mean * 1e3, r.lag_max * 1e3, r.overshoot * 1e3, r.settle, r.final_err * 1e3);
      if (comp == 2 && (r.lag_max > 0.05 || r.overshoot > 0.02 || r.final_err > 1e-3)) ok = 0;
    }
  }
  printf("%s\n", ok ? "PASS" : "FAIL");
  mj_deleteData(d);
  mj_deleteModel(m);
  return ok ? 0 : 1;
}
