/*
 * viewer.c — what an interactive window needs from MuJoCo: the abstract scene (mjvScene), a free
 * camera the mouse moves (mjvCamera), the visual options (mjvOption), and an mjrContext built for
 * the caller's own GL context (a GLFW window), rendering into its default framebuffer.
 *
 * The shim makes no window and no GL context here: the caller creates the window and makes its
 * context current on the calling thread before every rmj_viewer_* call that says "GL".
 *
 * The bundle is made in two steps so that its GL-free half is usable (and testable) without a
 * display: rmj_viewer_create builds scene, camera and options; rmj_viewer_make_context adds the
 * mjrContext. GL objects can only be deleted with their context current, which a finalizer thread
 * never has, so rmj_viewer_free releases memory only; the owner calls rmj_viewer_free_context
 * first, with the window current. Skipping that leaks nothing lasting: destroying the window's
 * context deletes every GL object made in it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "gl.h"

struct rmj_viewer {
  const mjModel* model; /* the scene and the GL resources are built for this model only */
  mjvScene scene;
  mjvCamera camera;
  mjvOption option;
  mjvPerturb perturb; /* never used to perturb; mjv_updateScene needs one */
  mjrContext context;
  int has_context;
};

static void free_viewer(rmj_viewer* v) {
  mjv_freeScene(&v->scene);
  free(v);
}

int rmj_viewer_create(mjModel* m, rmj_viewer** out) {
  RMJ_REQUIRE(m != NULL && out != NULL, "rmj_viewer_create: NULL argument");
  rmj_viewer* v = calloc(1, sizeof *v);
  if (v == NULL) return rmj_fail(RMJ_EMUJOCO, "out of memory creating a viewer");
  v->model = m;
  mjv_defaultScene(&v->scene);
  mjv_defaultOption(&v->option);
  mjv_defaultPerturb(&v->perturb);
  mjr_defaultContext(&v->context);
  mjv_defaultFreeCamera(m, &v->camera);
  /* Room for every geom plus the decorations drawn with them (contacts, sites, lights), as the
   * offscreen renderer allows; contact forces add two geoms per contact. */
  int maxgeom = 2000 + 2 * m->ngeom;
  int status;
  RMJ_GUARD(status, mjv_makeScene(m, &v->scene, maxgeom));
  if (status != RMJ_OK) {
    free_viewer(v);
    return status;
  }
  *out = v;
  return RMJ_OK;
}

int rmj_viewer_free(rmj_viewer* v) {
  if (v != NULL) free_viewer(v);
  return RMJ_OK;
}

/* Uploads meshes, textures and fonts into the current GL context and draws into its window. */
static void make_context(const mjModel* m, mjrContext* context, int font_scale) {
  mjr_makeContext(m, context, font_scale);
  mjr_setBuffer(mjFB_WINDOW, context);
}

int rmj_viewer_make_context(rmj_viewer* v, const mjModel* m, int font_scale) {
  RMJ_REQUIRE(v != NULL && m != NULL, "rmj_viewer_make_context: NULL argument");
  RMJ_REQUIRE(m == v->model, "the viewer was created for a different model");
  RMJ_REQUIRE(!v->has_context, "the viewer already has a GL context; free it first");
  RMJ_REQUIRE(font_scale >= 50 && font_scale <= 300 && font_scale % 50 == 0,
              "font scale %d is not one of MuJoCo's (50, 100, ..., 300)", font_scale);
  int status = rmj_gl_check_window();
  if (status != RMJ_OK) return status;
  RMJ_GUARD(status, make_context(m, &v->context, font_scale));
  if (status == RMJ_OK && !v->context.windowAvailable)
    status = rmj_fail(RMJ_EGL, "the current GL context has no window framebuffer to draw into");
  if (status != RMJ_OK) {
    mjr_freeContext(&v->context); /* whatever was made before the failure */
    return status;
  }
  rmj_gl_claim_window();
  v->has_context = 1;
  return RMJ_OK;
}

int rmj_viewer_free_context(rmj_viewer* v) {
  RMJ_REQUIRE(v != NULL, "rmj_viewer_free_context: NULL viewer");
  if (v->has_context) mjr_freeContext(&v->context);
  v->has_context = 0;
  return RMJ_OK;
}

/* ---- camera and options (no GL) ----------------------------------------------------------- */

/* mjv_moveCamera reads the scene's copy of the camera (its frame and frustum) to scale moves,
 * so that copy is brought up to date with the camera as it is now before moving. */
static void move_camera(rmj_viewer* v, const mjModel* m, mjData* d, int action, double reldx,
                        double reldy) {
  mjv_updateCamera(m, d, &v->camera, &v->scene);
  mjv_moveCamera(m, action, reldx, reldy, &v->scene, &v->camera);
}

int rmj_viewer_move_camera(rmj_viewer* v, const mjModel* m, mjData* d, int action, double reldx,
                           double reldy) {
  RMJ_REQUIRE(v != NULL && m != NULL && d != NULL, "rmj_viewer_move_camera: NULL argument");
  RMJ_REQUIRE(m == v->model, "the viewer was created for a different model");
  RMJ_REQUIRE(action >= mjMOUSE_ROTATE_V && action <= mjMOUSE_ZOOM,
              "camera action %d is not one of mjMOUSE_ROTATE_V..mjMOUSE_ZOOM", action);
  int status;
  RMJ_GUARD_DATA(status, d, move_camera(v, m, d, action, reldx, reldy));
  return status;
}

int rmj_viewer_camera(const rmj_viewer* v, double* lookat, double* distance, double* azimuth,
                      double* elevation) {
  RMJ_REQUIRE(v != NULL && lookat != NULL && distance != NULL && azimuth != NULL &&
                  elevation != NULL,
              "rmj_viewer_camera: NULL argument");
  memcpy(lookat, v->camera.lookat, 3 * sizeof(double));
  *distance = v->camera.distance;
  *azimuth = v->camera.azimuth;
  *elevation = v->camera.elevation;
  return RMJ_OK;
}

int rmj_viewer_set_camera(rmj_viewer* v, const double* lookat, double distance, double azimuth,
                          double elevation) {
  RMJ_REQUIRE(v != NULL && lookat != NULL, "rmj_viewer_set_camera: NULL argument");
  RMJ_REQUIRE(distance > 0, "free camera distance must be positive, got %g", distance);
  v->camera.type = mjCAMERA_FREE;
  v->camera.trackbodyid = -1;
  v->camera.fixedcamid = -1;
  memcpy(v->camera.lookat, lookat, 3 * sizeof(double));
  v->camera.distance = distance;
  v->camera.azimuth = azimuth;
  v->camera.elevation = elevation;
  return RMJ_OK;
}

/* A model camera's viewpoint as a free camera: its position and viewing axis (-z of its frame),
 * looking at the point of that axis nearest the model's center, so orbiting turns about the scene
 * rather than about a point behind the camera; framed as that camera frames it. */
int rmj_viewer_look_from(rmj_viewer* v, const mjModel* m, const mjData* d, int camera) {
  RMJ_REQUIRE(v != NULL && m != NULL && d != NULL, "rmj_viewer_look_from: NULL argument");
  RMJ_REQUIRE(m == v->model, "the viewer was created for a different model");
  RMJ_REQUIRE(camera >= 0 && camera < m->ncam,
              "camera id %d is out of range: the model has %d cameras", camera, m->ncam);
  const mjtNum* pos = d->cam_xpos + 3 * camera;
  const mjtNum* mat = d->cam_xmat + 9 * camera; /* row-major; column 2 is the frame's z axis */
  mjtNum forward[3] = {-mat[2], -mat[5], -mat[8]};
  mjtNum to_center[3];
  mju_sub3(to_center, m->stat.center, pos);
  mjtNum distance = mju_dot3(to_center, forward);
  if (distance < 0.1 * m->stat.extent) distance = 0.1 * m->stat.extent; /* center behind: stay near */
  mjtNum lookat[3];
  mju_addScl3(lookat, pos, forward, distance);
  /* The free camera sees with the model's global field of view, not this camera's: backing off by
   * the ratio of the half-angle tangents keeps what it frames around the look-at point the same. */
  double half_camera = m->cam_fovy[camera] * mjPI / 360, half_free = m->vis.global.fovy * mjPI / 360;
  if (half_free > 0 && half_free < mjPI / 2 && half_camera > 0 && half_camera < mjPI / 2)
    distance *= tan(half_camera) / tan(half_free);
  mjtNum elevation = asin(forward[2] < -1 ? -1 : forward[2] > 1 ? 1 : forward[2]);
  return rmj_viewer_set_camera(v, lookat, distance, atan2(forward[1], forward[0]) * 180 / mjPI,
                               elevation * 180 / mjPI);
}

int rmj_viewer_flag(const rmj_viewer* v, int flag, int* value) {
  RMJ_REQUIRE(v != NULL && value != NULL, "rmj_viewer_flag: NULL argument");
  RMJ_REQUIRE(flag >= 0 && flag < mjNVISFLAG, "visual flag %d is out of range [0, %d)", flag,
              mjNVISFLAG);
  *value = v->option.flags[flag];
  return RMJ_OK;
}

int rmj_viewer_set_flag(rmj_viewer* v, int flag, int value) {
  RMJ_REQUIRE(v != NULL, "rmj_viewer_set_flag: NULL viewer");
  RMJ_REQUIRE(flag >= 0 && flag < mjNVISFLAG, "visual flag %d is out of range [0, %d)", flag,
              mjNVISFLAG);
  v->option.flags[flag] = value != 0;
  return RMJ_OK;
}

static void update_scene(rmj_viewer* v, const mjModel* m, mjData* d) {
  /* Camera first: mjv_updateScene lays out infinite planes from the scene's camera before it
   * updates that camera, so this keeps each frame a function of this frame's camera only (the
   * offscreen renderer does the same, for the same reproducibility). */
  mjv_updateCamera(m, d, &v->camera, &v->scene);
  mjv_updateScene(m, d, &v->option, &v->perturb, &v->camera, mjCAT_ALL, &v->scene);
}

int rmj_viewer_update(rmj_viewer* v, const mjModel* m, mjData* d) {
  RMJ_REQUIRE(v != NULL && m != NULL && d != NULL, "rmj_viewer_update: NULL argument");
  RMJ_REQUIRE(m == v->model, "the viewer was created for a different model");
  int status;
  RMJ_GUARD_DATA(status, d, update_scene(v, m, d));
  return status;
}

int rmj_viewer_scene_geoms(const rmj_viewer* v, int* ngeom) {
  RMJ_REQUIRE(v != NULL && ngeom != NULL, "rmj_viewer_scene_geoms: NULL argument");
  *ngeom = v->scene.ngeom;
  return RMJ_OK;
}

/* ---- drawing into the window (GL) ------------------------------------------------------------ */

static int require_context(const rmj_viewer* v, int width, int height) {
  RMJ_REQUIRE(v != NULL, "NULL viewer");
  RMJ_REQUIRE(v->has_context, "the viewer has no GL context (rmj_viewer_make_context)");
  RMJ_REQUIRE(width > 0 && height > 0 && width <= 16384 && height <= 16384,
              "viewport %dx%d is out of range", width, height);
  return RMJ_OK;
}

static void render(rmj_viewer* v, mjrRect viewport) {
  mjr_setBuffer(mjFB_WINDOW, &v->context);
  mjr_render(viewport, &v->scene, &v->context);
}

int rmj_viewer_render(rmj_viewer* v, int width, int height) {
  int status = require_context(v, width, height);
  if (status != RMJ_OK) return status;
  mjrRect viewport = {0, 0, width, height};
  RMJ_GUARD(status, render(v, viewport));
  return status;
}

int rmj_viewer_overlay(rmj_viewer* v, int font, int gridpos, int width, int height,
                       const char* title, const char* content) {
  int status = require_context(v, width, height);
  if (status != RMJ_OK) return status;
  RMJ_REQUIRE(font >= mjFONT_NORMAL && font <= mjFONT_BIG, "font %d is not an mjtFont", font);
  RMJ_REQUIRE(gridpos >= mjGRID_TOPLEFT && gridpos <= mjGRID_BOTTOMRIGHT,
              "grid position %d is not a corner (mjGRID_TOPLEFT..mjGRID_BOTTOMRIGHT)", gridpos);
  mjrRect viewport = {0, 0, width, height};
  RMJ_GUARD(status, mjr_overlay(font, gridpos, viewport, title != NULL ? title : "",
                                content != NULL ? content : "", &v->context));
  return status;
}

/* glReadPixels returns the bottom row first; images here are top row first. Swapping in small
 * chunks needs no scratch row, whatever the width. */
static void flip_rows(unsigned char* pixels, size_t row_bytes, int height) {
  unsigned char chunk[256];
  for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--) {
    unsigned char* a = pixels + (size_t)top * row_bytes;
    unsigned char* b = pixels + (size_t)bottom * row_bytes;
    for (size_t at = 0; at < row_bytes; at += sizeof chunk) {
      size_t n = row_bytes - at < sizeof chunk ? row_bytes - at : sizeof chunk;
      memcpy(chunk, a + at, n);
      memcpy(a + at, b + at, n);
      memcpy(b + at, chunk, n);
    }
  }
}

int rmj_viewer_read_pixels(rmj_viewer* v, int width, int height, unsigned char* rgb) {
  int status = require_context(v, width, height);
  if (status != RMJ_OK) return status;
  RMJ_REQUIRE(rgb != NULL, "rmj_viewer_read_pixels: NULL buffer");
  mjrRect viewport = {0, 0, width, height};
  /* Reads the buffer just drawn: the back buffer of a double-buffered window (before the swap). */
  RMJ_GUARD(status, mjr_readPixels(rgb, NULL, viewport, &v->context));
  if (status != RMJ_OK) return status;
  flip_rows(rgb, (size_t)width * 3, height);
  return RMJ_OK;
}
