// check_solve.c: a scripted expert for each of the ten tasks, driven through the recommended
// controller (common.h: IK + gravity compensation + velocity feed-forward, 12.5 ms env steps,
// TCP moves of at most 1 cm per env step). It shows that every task is solvable with the
// documented names and success tests (README.md), and that contacts stay stable while the hand
// pushes, pulls, presses and carries things: it reports the deepest contact penetration, the
// fastest body, MuJoCo warnings and NaNs. The scripts double as a reference for the C# experts.
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_solve assets/validation/check_solve.c -lmujoco -lm && /tmp/check_solve
#include <time.h>

#include "common.h"

static long TOTAL_STEPS = 0;

typedef struct {
  mjModel* m;
  mjData* d;
  Ctl c;
  double max_pen, max_speed;
  int pen_g1, pen_g2;  // the deepest contact's geoms
} Run;

static void v3(double* p, double x, double y, double z) { p[0] = x; p[1] = y; p[2] = z; }

static const double* site(Run* r, const char* name) {
  return r->d->site_xpos + 3 * id_or_die(r->m, mjOBJ_SITE, name);
}
static double jpos(Run* r, const char* name) {
  return r->d->qpos[r->m->jnt_qposadr[id_or_die(r->m, mjOBJ_JOINT, name)]];
}
static void set_jpos(Run* r, const char* name, double v) {
  r->d->qpos[r->m->jnt_qposadr[id_or_die(r->m, mjOBJ_JOINT, name)]] = v;
}
static void set_mocap(Run* r, const char* body, double x, double y, double z) {
  int id = r->m->body_mocapid[id_or_die(r->m, mjOBJ_BODY, body)];
  v3(r->d->mocap_pos + 3 * id, x, y, z);
}
static void set_free(Run* r, const char* jnt, double x, double y, double z) {
  int a = r->m->jnt_qposadr[id_or_die(r->m, mjOBJ_JOINT, jnt)];
  v3(r->d->qpos + a, x, y, z);
  r->d->qpos[a + 3] = 1;
  r->d->qpos[a + 4] = r->d->qpos[a + 5] = r->d->qpos[a + 6] = 0;
}

static void start(Run* r, const char* task) {
  memset(r, 0, sizeof *r);
  r->m = load_task(task);
  if (!r->m) exit(1);
  r->d = mj_makeData(r->m);
  mj_resetDataKeyframe(r->m, r->d, id_or_die(r->m, mjOBJ_KEY, "home"));
}

// after placing things: settle 0.25 s with the arm holding home, then hand over to the controller
static void begin(Run* r) {
  mj_forward(r->m, r->d);
  for (int k = 0; k < 100; k++) {
    mj_step1(r->m, r->d);
    for (int i = 0; i < NARM; i++) r->d->qfrc_applied[i] = r->d->qfrc_bias[i];
    mj_step2(r->m, r->d);
  }
  ctl_init(&r->c, r->m, r->d, 0);
}

static void monitor(Run* r) {
  for (int i = 0; i < r->d->ncon; i++)
    if (-r->d->contact[i].dist > r->max_pen) {
      r->max_pen = -r->d->contact[i].dist;
      r->pen_g1 = r->d->contact[i].geom1;
      r->pen_g2 = r->d->contact[i].geom2;
    }
  for (int b = 1; b < r->m->nbody; b++) {
    double vel[6];
    mj_objectVelocity(r->m, r->d, mjOBJ_BODY, b, vel, 0);  // [rot; lin] at the body origin, world frame
    double v = mju_norm3(vel + 3);
    if (v > r->max_speed) r->max_speed = v;
  }
}

// move with monitoring (env step granularity)
static void go(Run* r, double x, double y, double z, double grip, double speed, int hold) {
  double p[3] = {x, y, z}, a[3];
  mju_copy3(a, r->c.target);
  double len = sqrt((p[0] - a[0]) * (p[0] - a[0]) + (p[1] - a[1]) * (p[1] - a[1]) + (p[2] - a[2]) * (p[2] - a[2]));
  int n = (int)ceil(len / speed);
  for (int k = 1; k <= n + hold; k++) {
    double t = k >= n ? 1.0 : (double)k / n, q[3];
    for (int i = 0; i < 3; i++) q[i] = a[i] + t * (p[i] - a[i]);
    ctl_env_step(&r->c, q, grip);
    monitor(r);
  }
}

static int finish(Run* r, const char* task, int success, const char* fmt, double value) {
  int bad = has_nan(r->m, r->d) || warnings_total(r->d) || r->max_speed > 5;
  TOTAL_STEPS += 5L * r->c.steps;
  printf("%-22s %s (", task, success && !bad ? "SOLVED" : "FAILED");
  printf(fmt, value);
  const char* g1 = r->max_pen > 0 ? mj_id2name(r->m, mjOBJ_GEOM, r->pen_g1) : "none";
  const char* g2 = r->max_pen > 0 ? mj_id2name(r->m, mjOBJ_GEOM, r->pen_g2) : "none";
  printf(") in %3d env steps; deepest contact %.2f mm (%s/%s), fastest body %.2f m/s, warnings %d\n",
         r->c.steps, r->max_pen * 1e3, g1, g2, r->max_speed, warnings_total(r->d));
  ctl_free(&r->c);
  mj_deleteData(r->d);
  mj_deleteModel(r->m);
  return success && !bad;
}

int main(void) {
  int ok = 1;
  Run r;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const double OPEN = 0.08, CLOSED = 0.0;

  {  // reach
    start(&r, "reach");
    set_mocap(&r, "goal", 0.08, 0.68, 0.28);
    begin(&r);
    go(&r, 0.08, 0.68, 0.28, OPEN, 0.01, 10);
    double e[3];
    mju_sub3(e, site(&r, "ee_site"), site(&r, "goal"));
    ok &= finish(&r, "reach", mju_norm3(e) < 0.05, "TCP-goal %.4f m", mju_norm3(e));
  }
  {  // push: as Meta-World's scripted push policy does, hold the puck between the pads and slide
     // it over the table to the goal (a bare flat-faced push lets a round puck slip sideways)
    start(&r, "push");
    set_free(&r, "obj_joint", -0.05, 0.42, 0.02);
    set_mocap(&r, "goal", 0.05, 0.66, 0.02);
    begin(&r);
    const double* o = site(&r, "obj");
    double ox = o[0], oy = o[1], gx = 0.05, gy = 0.66;
    go(&r, ox, oy, 0.10, OPEN, 0.01, 5);
    go(&r, ox, oy, 0.025, OPEN, 0.005, 10);
    go(&r, ox, oy, 0.025, 0.03, 0.01, 20);  // close to 3 cm: the pads grip the 4 cm puck
    go(&r, gx, gy, 0.025, 0.03, 0.005, 10);
    go(&r, gx, gy, 0.025, OPEN, 0.01, 15);
    go(&r, gx, gy, 0.10, OPEN, 0.01, 10);
    double e[3];
    mju_sub3(e, site(&r, "obj"), site(&r, "goal"));
    ok &= finish(&r, "push", mju_norm3(e) < 0.05, "puck-goal %.4f m", mju_norm3(e));
  }
  {  // pick-place
    start(&r, "pick-place");
    set_free(&r, "obj_joint", 0.06, 0.45, 0.02);
    set_mocap(&r, "goal", -0.05, 0.66, 0.22);
    begin(&r);
    const double* o = site(&r, "obj");
    double ox = o[0], oy = o[1];
    go(&r, ox, oy, 0.12, OPEN, 0.01, 5);
    go(&r, ox, oy, 0.02, OPEN, 0.005, 10);
    go(&r, ox, oy, 0.02, CLOSED, 0.01, 25);
    go(&r, ox, oy, 0.12, CLOSED, 0.005, 5);
    go(&r, -0.05, 0.66, 0.22, CLOSED, 0.01, 30);
    double e[3];
    mju_sub3(e, site(&r, "obj"), site(&r, "goal"));
    ok &= finish(&r, "pick-place", mju_norm3(e) < 0.07, "puck-goal %.4f m", mju_norm3(e));
  }
  {  // door-open: grasp the vertical bar above its middle, then follow the handle's arc while
     // yawing the hand with the door
    start(&r, "door-open");
    set_mocap(&r, "cabinet", 0.05, 0.75, 0);
    begin(&r);
    const double* h = site(&r, "handle");
    double hx = h[0], hy = h[1];
    const double hinge[2] = {0.05 - 0.15, 0.75 - 0.111}, loc[2] = {0.26, -0.065};
    go(&r, hx, hy, 0.26, OPEN, 0.01, 5);
    go(&r, hx, hy, 0.175, OPEN, 0.005, 10);
    go(&r, hx, hy, 0.175, CLOSED, 0.01, 25);
    const double th_end = 1.25;
    int n = 100;
    for (int k = 1; k <= n + 20; k++) {
      double th = th_end * (k > n ? 1.0 : (double)k / n), c = cos(th), s = sin(th);
      // rotation by -th about z: (x, y) -> (x c + y s, -x s + y c)
      double p[3] = {hinge[0] + loc[0] * c + loc[1] * s, hinge[1] - loc[0] * s + loc[1] * c, 0.175};
      r.c.yaw = -th;
      yawed_rot(r.c.R0, r.c.yaw, r.c.R);
      ctl_env_step(&r.c, p, CLOSED);
      monitor(&r);
    }
    go(&r, r.c.target[0], r.c.target[1], r.c.target[2], OPEN, 0.01, 20);
    double th = jpos(&r, "door_joint");
    ok &= finish(&r, "door-open", th >= M_PI / 3, "door_joint %.3f rad", th);
  }
  {  // drawer-open: closed fingers hooked behind the bar, pull 0.2 m towards the robot
    start(&r, "drawer-open");
    set_mocap(&r, "drawer_box", 0.05, 0.75, 0);
    begin(&r);
    const double* h = site(&r, "handle");
    double hx = h[0], hy = h[1];
    go(&r, hx, hy + 0.0275, 0.22, CLOSED, 0.01, 5);
    go(&r, hx, hy + 0.0275, 0.11, CLOSED, 0.005, 10);
    go(&r, hx, hy + 0.0275 - 0.2, 0.11, CLOSED, 0.005, 10);
    go(&r, hx, hy + 0.0275 - 0.2, 0.22, CLOSED, 0.01, 10);
    double q = jpos(&r, "drawer_joint");
    ok &= finish(&r, "drawer-open", q >= 0.15, "drawer_joint %.3f m", q);
  }
  {  // drawer-close: push the handle bar back in
    start(&r, "drawer-close");
    set_mocap(&r, "drawer_box", -0.05, 0.75, 0);
    set_jpos(&r, "drawer_joint", 0.15);
    begin(&r);
    const double* h = site(&r, "handle");
    double hx = h[0], hy = h[1];
    go(&r, hx, hy - 0.04, 0.22, CLOSED, 0.01, 5);
    go(&r, hx, hy - 0.04, 0.12, CLOSED, 0.005, 5);
    go(&r, hx, hy - 0.03 + 0.16, 0.12, CLOSED, 0.005, 10);
    go(&r, hx, hy - 0.03, 0.22, CLOSED, 0.01, 10);
    double q = jpos(&r, "drawer_joint");
    ok &= finish(&r, "drawer-close", q <= 0.02, "drawer_joint %.3f m", q);
  }
  {  // button-press-topdown: closed fingertips press the cap down
    start(&r, "button-press-topdown");
    set_mocap(&r, "button_box", -0.05, 0.65, 0);
    begin(&r);
    const double* b = site(&r, "button_top");
    double bx = b[0], by = b[1];
    go(&r, bx, by, 0.2, CLOSED, 0.01, 5);
    go(&r, bx, by, 0.108, CLOSED, 0.004, 15);
    double q = jpos(&r, "button_joint");
    go(&r, bx, by, 0.2, CLOSED, 0.01, 10);
    double q_after = jpos(&r, "button_joint");
    int success = q >= 0.02 && q_after < 0.002;  // pressed, and springs back when released
    char fmt[96];
    snprintf(fmt, sizeof fmt, "button_joint %%.4f m pressed, %.4f m after release", q_after);
    ok &= finish(&r, "button-press-topdown", success, fmt, q);
  }
  {  // peg-insert-side: grasp the peg in the middle (hand yawed 90 deg), carry it level to the
     // hole and push it in 5 cm
    start(&r, "peg-insert-side");
    set_free(&r, "peg_joint", 0.12, 0.38, 0.015);
    set_mocap(&r, "peg_box", -0.3, 0.45, 0);
    begin(&r);
    const double* g = site(&r, "peg_grasp");
    double gx = g[0], gy = g[1];
    ctl_turn(&r.c, M_PI / 2, OPEN, 60);
    go(&r, gx, gy, 0.12, OPEN, 0.01, 5);
    go(&r, gx, gy, 0.02, OPEN, 0.005, 10);
    go(&r, gx, gy, 0.02, CLOSED, 0.01, 25);
    go(&r, gx, gy, 0.15, CLOSED, 0.005, 5);
    const double* hole = site(&r, "hole");
    double hx = hole[0], hy = hole[1], hz = hole[2];
    // TCP at the peg centre = peg head + 0.1 along x
    go(&r, hx + 0.1 + 0.05, hy, hz, CLOSED, 0.01, 20);
    go(&r, hx + 0.1 - 0.05, hy, hz, CLOSED, 0.003, 20);
    const double* head = site(&r, "peg_head");
    hole = site(&r, "hole");
    double depth = hole[0] - head[0], dyy = fabs(head[1] - hole[1]), dzz = fabs(head[2] - hole[2]);
    ok &= finish(&r, "peg-insert-side", depth >= 0.03 && dyy <= 0.0225 && dzz <= 0.0225,
                 "inserted %.4f m", depth);
  }
  {  // window-open: closed fingers on the left of the bar, slide the sash 0.2 m to the right
    start(&r, "window-open");
    set_mocap(&r, "window_frame", 0.05, 0.62, 0);
    begin(&r);
    const double* h = site(&r, "handle");
    double hx = h[0], hy = h[1];
    go(&r, hx - 0.035, hy, 0.26, CLOSED, 0.01, 5);
    go(&r, hx - 0.035, hy, 0.175, CLOSED, 0.005, 5);
    go(&r, hx - 0.035 + 0.2, hy, 0.175, CLOSED, 0.005, 10);
    go(&r, hx - 0.035 + 0.2, hy, 0.26, CLOSED, 0.01, 10);
    double q = jpos(&r, "window_joint");
    ok &= finish(&r, "window-open", q >= 0.15, "window_joint %.3f m", q);
  }
  {  // window-close: from fully open, push the bar back to the left
    start(&r, "window-close");
    set_mocap(&r, "window_frame", 0.0, 0.62, 0);
    set_jpos(&r, "window_joint", 0.2);
    begin(&r);
    const double* h = site(&r, "handle");
    double hx = h[0], hy = h[1];
    go(&r, hx + 0.035, hy, 0.26, CLOSED, 0.01, 5);
    go(&r, hx + 0.035, hy, 0.175, CLOSED, 0.005, 5);
    go(&r, hx + 0.035 - 0.2, hy, 0.175, CLOSED, 0.005, 10);
    go(&r, hx + 0.035 - 0.2, hy, 0.26, CLOSED, 0.01, 10);
    double q = jpos(&r, "window_joint");
    ok &= finish(&r, "window-close", q <= 0.05, "window_joint %.3f m", q);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double sec = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  printf("%ld physics steps (controller + IK included) in %.2f s: %.0f steps/s, %.0f env steps/s\n",
         TOTAL_STEPS, sec, TOTAL_STEPS / sec, TOTAL_STEPS / 5 / sec);
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
