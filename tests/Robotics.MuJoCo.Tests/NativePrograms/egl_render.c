/*
 * Renders one humanoid frame through the shim with the EGL backend and prints the GL info and the
 * number of distinct colours. EglTests runs it in its own process, because a process renders with
 * one backend only and the test process uses OSMesa.
 */
#include <stdio.h>
#include <stdlib.h>

#include "robotics_mujoco.h"

#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != RMJ_OK) {                                                 \
      fprintf(stderr, "%s failed: %s\n", #call, rmj_last_error());         \
      return 1;                                                             \
    }                                                                       \
  } while (0)

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s model.xml\n", argv[0]);
    return 2;
  }
  enum { W = 64, H = 48 };
  mjModel* m;
  mjData* d;
  rmj_renderer* r;
  const char* info;
  static unsigned char rgb[W * H * 3];
  CHECK(rmj_model_load_xml(argv[1], &m));
  CHECK(rmj_data_make(m, &d));
  CHECK(rmj_data_forward(m, d));
  CHECK(rmj_renderer_create(m, W, H, RMJ_GL_EGL, 0, &r));
  CHECK(rmj_renderer_gl_info(r, &info));
  CHECK(rmj_renderer_render(r, m, d, RMJ_CAMERA_DEFAULT_FREE, NULL, 0, 0, 0, 0, rgb, NULL));

  /* Distinct colours, counted with a small open-addressing set. */
  static int seen[4096];
  int colours = 0;
  for (int i = 0; i < W * H; i++) {
    int c = (rgb[3 * i] << 16 | rgb[3 * i + 1] << 8 | rgb[3 * i + 2]) + 1;
    unsigned slot = (unsigned)c * 2654435761u % 4096;
    while (seen[slot] != 0 && seen[slot] != c) slot = (slot + 1) % 4096;
    if (seen[slot] == 0) {
      seen[slot] = c;
      colours++;
    }
  }
  printf("%s\ncolours %d\n", info, colours);
  CHECK(rmj_renderer_free(r));
  CHECK(rmj_data_free(d));
  CHECK(rmj_model_free(m));
  return 0;
}
