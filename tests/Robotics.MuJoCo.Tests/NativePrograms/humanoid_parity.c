/*
 * Reference run for ParityTests: plain MuJoCo, no bindings. Loads the model given on the command
 * line, steps it N times with zero controls from the default state and prints qpos, one value per
 * line with %.17g (enough digits to round-trip every double exactly).
 */
#include <stdio.h>
#include <stdlib.h>

#include <mujoco/mujoco.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s model.xml steps\n", argv[0]);
    return 2;
  }
  char error[1000] = "";
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof error);
  if (m == NULL) {
    fprintf(stderr, "load failed: %s\n", error);
    return 1;
  }
  mjData* d = mj_makeData(m);
  int steps = atoi(argv[2]);
  for (int i = 0; i < steps; i++) mj_step(m, d);
  for (int i = 0; i < m->nq; i++) printf("%.17g\n", d->qpos[i]);
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
