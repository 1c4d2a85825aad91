// check_dh.c: the MJCF Panda's flange_site (and ee_site) against Franka's modified-DH
// forward kinematics (Craig convention), at random joint configurations within the limits.
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_dh assets/validation/check_dh.c -lmujoco -lm && /tmp/check_dh [N]
// Exit status 0 when max position error < 1 mm and max rotation error < 1e-3 rad.
//
// DH (Craig): T_{i-1,i} = RotX(alpha_i) TransX(a_i) RotZ(q_i) TransZ(d_i)
//   a     = [0, 0, 0, 0.0825, -0.0825, 0, 0.088]
//   d     = [0.333, 0, 0.316, 0, 0.384, 0, 0]
//   alpha = [0, -pi/2, pi/2, pi/2, -pi/2, pi/2, pi/2]
//   flange: TransZ(0.107);  TCP (ee_site): flange * RotZ(-pi/4) * TransZ(0.1034)
// The base (panda_link0) sits at the world origin rotated +pi/2 about world z.
#include "common.h"

static void mat4_mul(const double* A, const double* B, double* C) {
  double t[16];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      double s = 0;
      for (int k = 0; k < 4; k++) s += A[4 * i + k] * B[4 * k + j];
      t[4 * i + j] = s;
    }
  memcpy(C, t, sizeof t);
}

static void dh_craig(double a, double d, double alpha, double theta, double* T) {
  double ca = cos(alpha), sa = sin(alpha), ct = cos(theta), st = sin(theta);
  // RotX(alpha) * TransX(a) * RotZ(theta) * TransZ(d)
  double M[16] = {ct,      -st,      0,   a,
                  st * ca, ct * ca,  -sa, -sa * d,
                  st * sa, ct * sa,  ca,  ca * d,
                  0,       0,        0,   1};
  memcpy(T, M, sizeof M);
}

static void fk_dh(const double* q, double* Tflange, double* Tee) {
  static const double A[7] = {0, 0, 0, 0.0825, -0.0825, 0, 0.088};
  static const double D[7] = {0.333, 0, 0.316, 0, 0.384, 0, 0};
  static const double AL[7] = {0, -M_PI / 2, M_PI / 2, M_PI / 2, -M_PI / 2, M_PI / 2, M_PI / 2};
  // world <- base: rotation +pi/2 about z
  double T[16] = {0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, Ti[16];
  for (int i = 0; i < 7; i++) {
    dh_craig(A[i], D[i], AL[i], q[i], Ti);
    mat4_mul(T, Ti, T);
  }
  dh_craig(0, 0.107, 0, 0, Ti);
  mat4_mul(T, Ti, T);
  memcpy(Tflange, T, sizeof T);
  dh_craig(0, 0.1034, 0, -M_PI / 4, Ti);  // RotZ(-pi/4) then TransZ(0.1034)
  mat4_mul(T, Ti, T);
  memcpy(Tee, T, sizeof T);
}

// position error and rotation angle between a 4x4 transform and a site pose
static void compare(const double* T, const double* pos, const double* mat, double* pe, double* re) {
  double dx = T[3] - pos[0], dy = T[7] - pos[1], dz = T[11] - pos[2];
  *pe = sqrt(dx * dx + dy * dy + dz * dz);
  // angle of R_dh^T R_site
  double tr = 0;
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 3; k++) tr += T[4 * k + i] * mat[3 * k + i];
  double c = (tr - 1) / 2;
  c = c > 1 ? 1 : (c < -1 ? -1 : c);
  *re = acos(c);
  // acos is ill-conditioned near 0: use the skew part for small angles
  double Rd[9], Rs[9];
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 3; k++) { Rd[3 * i + k] = T[4 * i + k]; Rs[3 * i + k] = mat[3 * i + k]; }
  double e[3];
  rot_error(Rs, Rd, e);
  double s = sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
  if (*re < 0.1) *re = asin(s > 1 ? 1 : s);
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  mjModel* m = load_model("franka/scene.xml");
  if (!m) return 1;
  mjData* d = mj_makeData(m);
  int fl = id_or_die(m, mjOBJ_SITE, "flange_site"), ee = id_or_die(m, mjOBJ_SITE, "ee_site");
  for (int j = 0; j < NARM; j++) {
    char name[32];
    snprintf(name, sizeof name, "panda_joint%d", j + 1);
    if (id_or_die(m, mjOBJ_JOINT, name) != j) { fprintf(stderr, "joint order\n"); return 1; }
  }
  srand(12345);
  double maxp = 0, maxr = 0, maxpe = 0, maxre = 0;
  for (int s = 0; s < n; s++) {
    double q[NARM];
    for (int j = 0; j < NARM; j++)
      q[j] = s == 0 ? HOME_Q[j] : uniform(m->jnt_range[2 * j], m->jnt_range[2 * j + 1]);
    for (int j = 0; j < NARM; j++) d->qpos[j] = q[j];
    mj_forward(m, d);
    double Tf[16], Te[16], pe, re;
    fk_dh(q, Tf, Te);
    compare(Tf, d->site_xpos + 3 * fl, d->site_xmat + 9 * fl, &pe, &re);
    if (pe > maxp) maxp = pe;
    if (re > maxr) maxr = re;
    compare(Te, d->site_xpos + 3 * ee, d->site_xmat + 9 * ee, &pe, &re);
    if (pe > maxpe) maxpe = pe;
    if (re > maxre) maxre = re;
    if (s == 0)
      printf("home: DH flange (%.4f %.4f %.4f)  MuJoCo flange_site (%.4f %.4f %.4f)\n", Tf[3], Tf[7],
             Tf[11], d->site_xpos[3 * fl], d->site_xpos[3 * fl + 1], d->site_xpos[3 * fl + 2]);
  }
  printf("configs: %d (home + random within limits)\n", n);
  printf("flange_site: max position error %.3e m, max rotation error %.3e rad\n", maxp, maxr);
  printf("ee_site:     max position error %.3e m, max rotation error %.3e rad\n", maxpe, maxre);
  int ok = maxp < 1e-3 && maxr < 1e-3 && maxpe < 1e-3 && maxre < 1e-3;
  printf("%s\n", ok ? "PASS" : "FAIL");
  mj_deleteData(d);
  mj_deleteModel(m);
  return ok ? 0 : 1;
}
