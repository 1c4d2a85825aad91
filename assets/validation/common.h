// Shared helpers for the asset validation programs (MuJoCo 2.2.2 C API).
// Header-only; every program in this folder builds on its own:
//   gcc -O2 -o /tmp/check_x assets/validation/check_x.c -lmujoco -lm
#ifndef ROBOTICS_ASSET_VALIDATION_COMMON_H
#define ROBOTICS_ASSET_VALIDATION_COMMON_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mujoco/mujoco.h>

#define NARM 7
__attribute__((unused)) static const char* TASKS[] = {"reach", "push", "pick-place", "door-open", "drawer-open",
                              "drawer-close", "button-press-topdown", "peg-insert-side",
                              "window-open", "window-close"};
#define NTASKS 10
// The "home" keyframe of every task file: TCP at (0, 0.4, 0.2), pointing straight down (Meta-World's hand start).
static const double HOME_Q[NARM] = {0, -0.2299, 0, -2.6993, 0, 2.4694, 0.785};

// Directory that holds franka/ and tasks/ (override with ASSETS=/path/to/assets).
static inline const char* assets_dir(void) {
  const char* a = getenv("ASSETS");
  return a ? a : "assets";
}

static inline mjModel* load_model(const char* relpath) {
  char path[1024], err[1024] = "";
  snprintf(path, sizeof path, "%s/%s", assets_dir(), relpath);
  mjModel* m = mj_loadXML(path, NULL, err, sizeof err);
  if (!m || err[0]) {
    fprintf(stderr, "load %s: %s\n", path, err[0] ? err : "(null model)");
    if (m) mj_deleteModel(m);
    return NULL;
  }
  return m;
}

static inline mjModel* load_task(const char* task) {
  char rel[256];
  snprintf(rel, sizeof rel, "tasks/%s.xml", task);
  return load_model(rel);
}

static inline int id_or_die(const mjModel* m, int type, const char* name) {
  int id = mj_name2id(m, type, name);
  if (id < 0) { fprintf(stderr, "missing name %s (type %d)\n", name, type); exit(2); }
  return id;
}

static inline int warnings_total(const mjData* d) {
  int n = 0;
  for (int i = 0; i < mjNWARNING; i++) n += d->warning[i].number;
  return n;
}

static inline void print_warnings(const mjData* d) {
  const char* names[mjNWARNING] = {"INERTIA", "CONTACTFULL", "CNSTRFULL", "VGEOMFULL",
                                   "BADQPOS", "BADQVEL", "BADQACC", "BADCTRL"};
  for (int i = 0; i < mjNWARNING; i++)
    if (d->warning[i].number) printf("    warning %s x%d\n", names[i], d->warning[i].number);
}

static inline int has_nan(const mjModel* m, const mjData* d) {
  for (int i = 0; i < m->nq; i++) if (!isfinite(d->qpos[i])) return 1;
  for (int i = 0; i < m->nv; i++) if (!isfinite(d->qvel[i]) || !isfinite(d->qacc[i])) return 1;
  return 0;
}

// Put the arm at q (7 values), fingers open, ctrl = same; zero velocities; mj_forward.
static inline void set_arm(const mjModel* m, mjData* d, const double* q, double opening) {
  for (int i = 0; i < NARM; i++) { d->qpos[i] = q[i]; d->ctrl[i] = q[i]; }
  d->qpos[7] = d->qpos[8] = opening / 2;
  d->ctrl[7] = opening;
  for (int i = 0; i < m->nv; i++) d->qvel[i] = 0;
  mj_forward(m, d);
}

// ---- small dense linear algebra -------------------------------------------------------
// Solve (A) x = b for symmetric positive definite n x n A (copied), n <= 8.
static inline void spd_solve(int n, const double* A, const double* b, double* x) {
  double L[64];
  memcpy(L, A, sizeof(double) * n * n);
  mju_cholFactor(L, n, 0);
  mju_cholSolve(x, L, b, n);
}

// Orientation error (world frame) that rotates R toward Rt: 0.5 * sum_i r_i x rt_i,
// with r_i the columns of the row-major 3x3 matrices.
static inline void rot_error(const double* R, const double* Rt, double* e) {
  e[0] = e[1] = e[2] = 0;
  for (int i = 0; i < 3; i++) {
    double r[3] = {R[i], R[3 + i], R[6 + i]}, rt[3] = {Rt[i], Rt[3 + i], Rt[6 + i]}, c[3];
    mju_cross(c, r, rt);
    for (int k = 0; k < 3; k++) e[k] += 0.5 * c[k];
  }
}

// Damped-least-squares IK of a site on the 7 arm joints, on scratch data `d`
// (qpos[0..6] is the start and receives the result). Rt == NULL: position only.
// A small null-space pull toward HOME_Q keeps the elbow up. Returns the final position
// error [m]; *rot_err (optional) receives the orientation error [rad].
static inline double ik_site(const mjModel* m, mjData* d, int site, const double* pt, const double* Rt,
                      int iters, double* rot_err) {
  double jp[3 * 64], jr[3 * 64];
  double J[6 * NARM], e[6], JJt[36], y[6], dq[NARM];
  int rows = Rt ? 6 : 3;
  double perr = 1, rerr = 0;
  for (int it = 0; it < iters; it++) {
    mj_kinematics(m, d);
    mj_comPos(m, d);
    const double* p = d->site_xpos + 3 * site;
    for (int k = 0; k < 3; k++) e[k] = pt[k] - p[k];
    perr = sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
    rerr = 0;
    if (Rt) {
      rot_error(d->site_xmat + 9 * site, Rt, e + 3);
      rerr = sqrt(e[3] * e[3] + e[4] * e[4] + e[5] * e[5]);
    }
    if (perr < 1e-5 && rerr < 1e-4) break;
    // limit the task-space step
    double sc = perr > 0.05 ? 0.05 / perr : 1.0;
    for (int k = 0; k < 3; k++) e[k] *= sc;
    mj_jacSite(m, d, jp, jr, site);
    for (int r = 0; r < 3; r++)
      for (int c = 0; c < NARM; c++) {
        J[r * NARM + c] = jp[r * m->nv + c];
        if (Rt) J[(3 + r) * NARM + c] = jr[r * m->nv + c];
      }
    const double lam2 = 1e-4;
    for (int a = 0; a < rows; a++)
      for (int b = 0; b < rows; b++) {
        double s = 0;
        for (int c = 0; c < NARM; c++) s += J[a * NARM + c] * J[b * NARM + c];
        JJt[a * rows + b] = s + (a == b ? lam2 : 0);
      }
    spd_solve(rows, JJt, e, y);
    for (int c = 0; c < NARM; c++) {
      dq[c] = 0;
      for (int a = 0; a < rows; a++) dq[c] += J[a * NARM + c] * y[a];
    }
    // null-space pull toward home: dq += (I - J^+ J) k (q_home - q)
    double z[NARM], Jz[6], w[6];
    for (int c = 0; c < NARM; c++) z[c] = 0.05 * (HOME_Q[c] - d->qpos[c]);
    for (int a = 0; a < rows; a++) {
      Jz[a] = 0;
      for (int c = 0; c < NARM; c++) Jz[a] += J[a * NARM + c] * z[c];
    }
    spd_solve(rows, JJt, Jz, w);
    for (int c = 0; c < NARM; c++) {
      double s = 0;
      for (int a = 0; a < rows; a++) s += J[a * NARM + c] * w[a];
      dq[c] += z[c] - s;
    }
    for (int c = 0; c < NARM; c++) {
      double q = d->qpos[c] + dq[c];
      int j = c;  // arm joints are joints 0..6
      if (m->jnt_limited[j]) {
        double lo = m->jnt_range[2 * j] + 1e-3, hi = m->jnt_range[2 * j + 1] - 1e-3;
        q = q < lo ? lo : (q > hi ? hi : q);
      }
      d->qpos[c] = q;
    }
  }
  mj_kinematics(m, d);
  const double* p = d->site_xpos + 3 * site;
  perr = sqrt((pt[0] - p[0]) * (pt[0] - p[0]) + (pt[1] - p[1]) * (pt[1] - p[1]) +
              (pt[2] - p[2]) * (pt[2] - p[2]));
  if (Rt) {
    double er[3];
    rot_error(d->site_xmat + 9 * site, Rt, er);
    rerr = sqrt(er[0] * er[0] + er[1] * er[1] + er[2] * er[2]);
  }
  if (rot_err) *rot_err = rerr;
  return perr;
}

// Orientation of ee_site at HOME_Q (gripper pointing straight down, fingers along world x).
static inline void home_ee_rot(const mjModel* m, double* R) {
  mjData* d = mj_makeData(m);
  for (int i = 0; i < NARM; i++) d->qpos[i] = HOME_Q[i];
  mj_kinematics(m, d);
  int s = id_or_die(m, mjOBJ_SITE, "ee_site");
  memcpy(R, d->site_xmat + 9 * s, 9 * sizeof(double));
  mj_deleteData(d);
}

// Same, yawed by `yaw` about world z (positive = counter-clockwise seen from above).
static inline void yawed_rot(const double* R, double yaw, double* Ry) {
  double c = cos(yaw), s = sin(yaw), Z[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
  mju_mulMatMat(Ry, Z, R, 3, 3, 3);
}

static inline double uniform(double lo, double hi) { return lo + (hi - lo) * (rand() / (double)RAND_MAX); }

// ---- the recommended Cartesian controller (see assets/README.md, "Control") -------------
// Each env step (12.5 ms = 5 physics steps): IK of the TCP target -> joint targets in ctrl;
// every physics step qfrc_applied = qfrc_bias (gravity/Coriolis compensation) + damping *
// qdot_target (velocity feed-forward, qdot_target clamped to Franka's joint speed limits).
typedef struct {
  const mjModel* m;
  mjData* d;      // the simulation
  mjData* s;      // IK scratch (holds the current joint target)
  int ee;
  double R[9];    // TCP orientation target
  double R0[9];   // home TCP orientation
  double yaw;     // current yaw of R about world z, relative to R0
  double qd[NARM];
  double target[3];
  int steps;      // env steps taken
} Ctl;

static const double VMAX_ARM[NARM] = {2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61};

static inline void ctl_init(Ctl* c, const mjModel* m, mjData* d, double yaw) {
  memset(c, 0, sizeof *c);
  c->m = m;
  c->d = d;
  c->s = mj_makeData(m);
  c->ee = id_or_die(m, mjOBJ_SITE, "ee_site");
  home_ee_rot(m, c->R0);
  c->yaw = yaw;
  yawed_rot(c->R0, yaw, c->R);
  mju_copy(c->s->qpos, d->qpos, m->nq);
  mj_forward(m, d);
  mju_copy3(c->target, d->site_xpos + 3 * c->ee);
}

static inline void ctl_free(Ctl* c) { mj_deleteData(c->s); }

// one env step toward TCP position `p` with gripper opening command `grip` [m]
static inline void ctl_env_step(Ctl* c, const double* p, double grip) {
  const mjModel* m = c->m;
  mjData* d = c->d;
  double qprev[NARM];
  for (int i = 0; i < NARM; i++) qprev[i] = c->s->qpos[i];
  ik_site(m, c->s, c->ee, p, c->R, 50, NULL);
  for (int i = 0; i < NARM; i++) {
    d->ctrl[i] = c->s->qpos[i];
    double v = (c->s->qpos[i] - qprev[i]) / 0.0125;
    c->qd[i] = v > VMAX_ARM[i] ? VMAX_ARM[i] : (v < -VMAX_ARM[i] ? -VMAX_ARM[i] : v);
  }
  d->ctrl[7] = grip;
  mju_copy3(c->target, p);
  for (int k = 0; k < 5; k++) {
    mj_step1(m, d);
    for (int i = 0; i < NARM; i++) d->qfrc_applied[i] = d->qfrc_bias[i] + m->dof_damping[i] * c->qd[i];
    mj_step2(m, d);
  }
  c->steps++;
}

// straight-line move of the TCP target at `speed` metres per env step, then `hold` env steps
static inline void ctl_move(Ctl* c, const double* p, double grip, double speed, int hold) {
  double a[3];
  mju_copy3(a, c->target);
  double len = sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]) + (p[2] - a[2]) * (p[2] - a[2]));
  int n = (int)ceil(len / speed);
  for (int k = 1; k <= n; k++) {
    double t = (double)k / n, q[3];
    for (int i = 0; i < 3; i++) q[i] = a[i] + t * (p[i] - a[i]);
    ctl_env_step(c, q, grip);
  }
  for (int k = 0; k < hold; k++) ctl_env_step(c, p, grip);
}

// turn the TCP target about world z to `yaw` (relative to home) over n env steps, in place
static inline void ctl_turn(Ctl* c, double yaw, double grip, int n) {
  double y0 = c->yaw, p[3];
  mju_copy3(p, c->target);
  for (int k = 1; k <= n; k++) {
    c->yaw = y0 + (yaw - y0) * k / n;
    yawed_rot(c->R0, c->yaw, c->R);
    ctl_env_step(c, p, grip);
  }
}

static inline double ctl_tcp_error(const Ctl* c) {
  const double* p = c->d->site_xpos + 3 * c->ee;
  return sqrt((p[0] - c->target[0]) * (p[0] - c->target[0]) + (p[1] - c->target[1]) * (p[1] - c->target[1]) +
              (p[2] - c->target[2]) * (p[2] - c->target[2]));
}

#endif
