// check_tasks.c: every task scene loads, has the names the task code reads, and survives
// 4000 physics steps (10 s) of random control: a new uniformly random ctrl inside ctrlrange
// every 25 steps, so the arm flails through its whole range, hits the table, the objects and
// the fixtures. Fails on a load error, a missing name, a NaN, any MuJoCo warning, or an object
// leaving the scene / moving faster than 10 m/s.
//
// Build and run from the repository root:
//   gcc -O2 -o /tmp/check_tasks assets/validation/check_tasks.c -lmujoco -lm && /tmp/check_tasks
#include "common.h"

typedef struct { int type; const char* name; } Name;
#define B mjOBJ_BODY
#define J mjOBJ_JOINT
#define S mjOBJ_SITE
#define G mjOBJ_GEOM

// names shared by every task
static const Name COMMON[] = {
    {B, "panda_link0"}, {B, "panda_hand"}, {B, "panda_left_finger"}, {B, "panda_right_finger"},
    {J, "panda_joint1"}, {J, "panda_joint7"}, {J, "panda_finger_joint1"}, {J, "panda_finger_joint2"},
    {S, "ee_site"}, {S, "flange_site"}, {S, "left_pad"}, {S, "right_pad"},
    {G, "table_top"}, {B, "goal"}, {S, "goal"}, {mjOBJ_KEY, "home"},
    {mjOBJ_ACTUATOR, "panda_act1"}, {mjOBJ_ACTUATOR, "panda_act7"}, {mjOBJ_ACTUATOR, "panda_gripper"},
    {mjOBJ_CAMERA, "front"}, {mjOBJ_CAMERA, "top"}, {mjOBJ_CAMERA, "wrist"},
    {mjOBJ_TENDON, "panda_fingers"}, {0, NULL}};

static const Name PER_TASK[NTASKS][8] = {
    /* reach */ {{0, NULL}},
    /* push */ {{B, "obj"}, {J, "obj_joint"}, {G, "obj_geom"}, {S, "obj"}, {0, NULL}},
    /* pick-place */ {{B, "obj"}, {J, "obj_joint"}, {G, "obj_geom"}, {S, "obj"}, {0, NULL}},
    /* door-open */ {{B, "cabinet"}, {B, "door"}, {J, "door_joint"}, {S, "handle"}, {G, "door_handle"}, {0, NULL}},
    /* drawer-open */ {{B, "drawer_box"}, {B, "drawer"}, {J, "drawer_joint"}, {S, "handle"}, {G, "drawer_handle"}, {0, NULL}},
    /* drawer-close */ {{B, "drawer_box"}, {B, "drawer"}, {J, "drawer_joint"}, {S, "handle"}, {G, "drawer_handle"}, {0, NULL}},
    /* button */ {{B, "button_box"}, {B, "button"}, {J, "button_joint"}, {S, "button_top"}, {G, "button_geom"}, {0, NULL}},
    /* peg */ {{B, "peg"}, {J, "peg_joint"}, {G, "peg_geom"}, {S, "peg_head"}, {S, "peg_grasp"}, {B, "peg_box"}, {S, "hole"}, {0, NULL}},
    /* window-open */ {{B, "window_frame"}, {B, "window"}, {J, "window_joint"}, {S, "handle"}, {G, "window_handle"}, {0, NULL}},
    /* window-close */ {{B, "window_frame"}, {B, "window"}, {J, "window_joint"}, {S, "handle"}, {G, "window_handle"}, {0, NULL}},
};

static int check_names(const mjModel* m, const Name* names) {
  int ok = 1;
  for (const Name* n = names; n->name; n++)
    if (mj_name2id(m, n->type, n->name) < 0) {
      printf("    missing %s (type %d)\n", n->name, n->type);
      ok = 0;
    }
  return ok;
}

int main(void) {
  int all_ok = 1;
  srand(7);
  for (int t = 0; t < NTASKS; t++) {
    mjModel* m = load_task(TASKS[t]);
    if (!m) { all_ok = 0; continue; }
    int ok = check_names(m, COMMON) & check_names(m, PER_TASK[t]);
    mjData* d = mj_makeData(m);
    mj_resetDataKeyframe(m, d, id_or_die(m, mjOBJ_KEY, "home"));
    mj_forward(m, d);
    int ncon0 = d->ncon;
    int maxcon = 0, maxefc = 0, bad = 0;
    double maxv = 0;
    for (int k = 0; k < 4000 && !bad; k++) {
      if (k % 25 == 0)
        for (int a = 0; a < m->nu; a++)
          d->ctrl[a] = uniform(m->actuator_ctrlrange[2 * a], m->actuator_ctrlrange[2 * a + 1]);
      mj_step(m, d);
      if (d->ncon > maxcon) maxcon = d->ncon;
      if (d->nefc > maxefc) maxefc = d->nefc;
      if (has_nan(m, d)) { printf("    NaN at step %d\n", k); bad = 1; }
      for (int b = 1; b < m->nbody; b++) {
        double vel[6];
        mj_objectVelocity(m, d, mjOBJ_BODY, b, vel, 0);  // [rot; lin] at the body origin, world frame
        double v = mju_norm3(vel + 3);
        if (v > maxv) maxv = v;
        if (fabs(d->xpos[3 * b]) > 3 || fabs(d->xpos[3 * b + 1]) > 3 || d->xpos[3 * b + 2] < -1 ||
            d->xpos[3 * b + 2] > 3) {
          printf("    body %s left the scene\n", mj_id2name(m, mjOBJ_BODY, b));
          bad = 1;
        }
      }
    }
    int w = warnings_total(d);
    if (bad || w || maxv > 10) ok = 0;
    printf("%-22s nq %2d nv %2d nu %d nbody %2d ngeom %2d | contacts at home %d | 4000 random-ctrl steps:"
           " max ncon %2d, max nefc %3d, max body speed %.2f m/s, warnings %d -> %s\n",
           TASKS[t], m->nq, m->nv, m->nu, m->nbody, m->ngeom, ncon0, maxcon, maxefc, maxv, w, ok ? "ok" : "FAIL");
    if (w) print_warnings(d);
    all_ok &= ok;
    mj_deleteData(d);
    mj_deleteModel(m);
  }
  printf("%s\n", all_ok ? "PASS" : "FAIL");
  return all_ok ? 0 : 1;
}
