// check_reach.c: reachability of every task's object, goal and handle ranges (README.md), and
// of the documented end-effector workspace box, by damped-least-squares IK from the home
// configuration with the TCP pointing straight down (fingers along world x; yawed 90 deg for the
// peg). A point counts as reached when IK ends within 1 mm and 0.01 rad, inside the joint limits.
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_reach assets/validation/check_reach.c -lmujoco -lm && /tmp/check_reach
#include "common.h"

static mjModel* M;
static mjData* S;
static int EE;
static double R0[9];

// IK from home; returns 1 when reached
static int reach(const double* p, double yaw, double* perr, double* rerr) {
  double R[9];
  yawed_rot(R0, yaw, R);
  mj_resetDataKeyframe(M, S, 0);
  *perr = ik_site(M, S, EE, p, R, 500, rerr);
  return *perr < 1e-3 && *rerr < 1e-2;
}

typedef struct { const char* what; double lo[3], hi[3]; double yaw; } Box;

static int check_box(const Box* b, int n, int verbose) {
  int fails = 0, total = 0;
  double worst = 0, worst_r = 0, wp[3] = {0, 0, 0};
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      for (int k = 0; k < n; k++) {
        double p[3], t[3] = {n > 1 ? i / (n - 1.0) : 0.5, n > 1 ? j / (n - 1.0) : 0.5, n > 1 ? k / (n - 1.0) : 0.5};
        for (int a = 0; a < 3; a++) p[a] = b->lo[a] + t[a] * (b->hi[a] - b->lo[a]);
        double pe, re;
        int ok = reach(p, b->yaw, &pe, &re);
        total++;
        if (!ok) { fails++; memcpy(wp, p, sizeof wp); }
        if (pe > worst) worst = pe;
        if (re > worst_r) worst_r = re;
      }
  if (verbose || fails)
    printf("  %-48s x[%5.2f,%5.2f] y[%4.2f,%4.2f] z[%5.3f,%5.3f] yaw %3.0f: %3d/%3d reached, "
           "worst %.2e m %.2e rad%s\n", b->what, b->lo[0], b->hi[0], b->lo[1], b->hi[1], b->lo[2],
           b->hi[2], b->yaw * 180 / M_PI, total - fails, total, worst, worst_r, fails ? "  <-- FAIL" : "");
  if (fails) printf("    e.g. unreachable (%.3f %.3f %.3f)\n", wp[0], wp[1], wp[2]);
  return fails == 0;
}

int main(void) {
  M = load_task("reach");
  if (!M) return 1;
  S = mj_makeData(M);
  EE = id_or_die(M, mjOBJ_SITE, "ee_site");
  home_ee_rot(M, R0);
  int ok = 1;
  const double Y90 = M_PI / 2;
  // Task ranges in the world frame (see README.md); TCP targets derived from them.
  const Box boxes[] = {
      {"reach: goal", {-0.1, 0.6, 0.05}, {0.1, 0.7, 0.3}, 0},
      {"reach/all: hand start (0,0.4,0.2) +- 5 cm", {-0.05, 0.35, 0.15}, {0.05, 0.45, 0.25}, 0},
      {"push/pick-place: grasp puck (z 0.02)", {-0.1, 0.4, 0.02}, {0.1, 0.5, 0.02}, 0},
      {"push: behind puck (y-0.05, z 0.02)", {-0.1, 0.35, 0.02}, {0.1, 0.45, 0.02}, 0},
      {"push: puck at goal (z 0.02)", {-0.1, 0.6, 0.02}, {0.1, 0.7, 0.02}, 0},
      {"pick-place: goal", {-0.1, 0.6, 0.05}, {0.1, 0.7, 0.3}, 0},
      // door: cabinet x[0,0.1] y[0.7,0.8]; closed handle = cabinet + (0.11, -0.176, 0.15)
      {"door-open: closed handle", {0.11, 0.524, 0.15}, {0.21, 0.624, 0.15}, 0},
      // handle at 60 deg: hinge (cx-0.15, cy-0.111) + Rz(-60)(0.26,-0.065) = (+0.074,-0.258)
      {"door-open: handle at 60 deg", {-0.076, 0.331, 0.15}, {0.024, 0.431, 0.15}, 0},
      // handle at 90 deg: hinge + (-0.065, -0.26)
      {"door-open: handle at 90 deg", {-0.215, 0.329, 0.15}, {-0.115, 0.429, 0.15}, 0},
      // drawer: casing x[-0.1,0.1] y 0.75; handle = casing + (0, -0.215 - q, 0.12), q in [0, 0.2]
      {"drawer: handle closed..open 0.2", {-0.1, 0.335, 0.12}, {0.1, 0.535, 0.12}, 0},
      {"drawer: hook behind handle (+0.0275 y, z 0.11)", {-0.1, 0.3625, 0.11}, {0.1, 0.5625, 0.11}, 0},
      // button: box x[-0.1,0.1] y[0.6,0.7]; TCP on the cap top, cap top z 0.125 -> 0.1;
      // the fingertips reach 0.013 below the TCP, so pressing needs TCP z ~ 0.11 .. 0.14
      {"button: TCP over the cap", {-0.1, 0.6, 0.11}, {0.1, 0.7, 0.14}, 0},
      // peg: x[0,0.2] y[0.3,0.5], grasp at the peg centre, z 0.015..0.02, fingers along y
      {"peg: grasp peg (yaw 90)", {0.0, 0.3, 0.02}, {0.2, 0.5, 0.02}, Y90},
      // box x[-0.35,-0.25] y[0.3,0.55]; hole = box + (0.06, 0, 0.13); TCP = hole + (0.1 - depth)
      {"peg: TCP with head at hole, depth 0..0.05", {-0.24, 0.3, 0.13}, {-0.09, 0.55, 0.13}, Y90},
      // window-open: frame x[-0.1,0.1] y[0.5,0.7]; handle = frame + (-0.125 + q, -0.06, 0.16)
      {"window-open: handle path q 0..0.2 (+-3.5 cm x)", {-0.26, 0.44, 0.17}, {0.21, 0.64, 0.17}, 0},
      // window-close: frame x 0, y[0.55,0.7]
      {"window-close: handle path q 0.2..0 (+-3.5 cm x)", {-0.16, 0.49, 0.17}, {0.11, 0.64, 0.17}, 0},
  };
  printf("task targets (3x3x3 grids over each range):\n");
  for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) ok &= check_box(&boxes[i], 3, 1);

  // documented workspace box for the TCP (pointing down): a 6x6x6 grid must be reachable
  const Box ws = {"workspace box (README)", {-0.3, 0.3, 0.02}, {0.3, 0.7, 0.35}, 0};
  printf("workspace (6x6x6 grid):\n");
  ok &= check_box(&ws, 6, 1);

  // how far the reachable top-down region extends along each axis from (0, 0.5, 0.2)
  printf("reach along axes from (0, 0.5, 0.2), top-down TCP:\n");
  const double dirs[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
  const char* dn[6] = {"+x", "-x", "+y", "-y", "+z", "-z"};
  for (int k = 0; k < 6; k++) {
    double last = 0;
    for (double s = 0; s < 1.0; s += 0.01) {
      double p[3] = {0 + s * dirs[k][0], 0.5 + s * dirs[k][1], 0.2 + s * dirs[k][2]}, pe, re;
      if (p[2] < 0.0) break;
      if (!reach(p, 0, &pe, &re)) break;
      last = s;
    }
    printf("  %s: %.2f m\n", dn[k], last);
  }
  printf("%s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
