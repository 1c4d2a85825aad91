/*
 * renderer.c — an offscreen MuJoCo renderer: a GL context, an mjvScene, an mjrContext whose
 * offscreen framebuffer is exactly width x height, and the read-back into top-row-first images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "error.h"
#include "gl.h"

struct rmj_renderer {
  const mjModel* model; /* the scene and GL resources were built for this model only */
  rmj_gl* gl;
  int width, height;
  mjvScene scene;
  mjrContext context;
  mjvOption option;
  mjvPerturb perturb;
  mjvCamera camera;
  unsigned char* row; /* one row of scratch for the vertical flip */
  float znear, zfar;  /* clip planes in metres, for linearizing depth */
  char info[512];
};

/* Releases the context after a call that made it current, passing that call's status through. */
static int released(rmj_renderer* r, int status) {
  r->gl->ops->release(r->gl);
  return status;
}

static void describe_context(rmj_renderer* r) {
  typedef const unsigned char* (*get_string_fn)(unsigned int);
  get_string_fn get_string = (get_string_fn)r->gl->ops->get_proc("glGetString");
  const unsigned int GL_VENDOR_ = 0x1F00, GL_RENDERER_ = 0x1F01, GL_VERSION_ = 0x1F02;
  if (get_string == NULL) {
    snprintf(r->info, sizeof r->info, "%s", r->gl->ops->name);
    return;
  }
  snprintf(r->info, sizeof r->info, "%s: %s | %s | %s", r->gl->ops->name,
           (const char*)get_string(GL_VENDOR_), (const char*)get_string(GL_RENDERER_),
           (const char*)get_string(GL_VERSION_));
}

static void free_renderer(rmj_renderer* r) {
  if (r->gl != NULL) {
    if (r->gl->ops->make_current(r->gl) == RMJ_OK) {
      mjr_freeContext(&r->context);
      r->gl->ops->release(r->gl);
    }
    r->gl->ops->destroy(r->gl);
  }
  mjv_freeScene(&r->scene);
  free(r->row);
  free(r);
}

/* Uploads the model's meshes and textures and makes the offscreen framebuffer the target. */
static void make_context(const mjModel* m, mjrContext* context) {
  mjr_makeContext(m, context, mjFONTSCALE_100);
  mjr_setBuffer(mjFB_OFFSCREEN, context);
}

int rmj_renderer_create(mjModel* m, int width, int height, int backend, int samples,
                        rmj_renderer** out) {
  RMJ_REQUIRE(m != NULL && out != NULL, "rmj_renderer_create: NULL argument");
  RMJ_REQUIRE(width > 0 && height > 0 && width <= 16384 && height <= 16384,
              "image size %dx%d is out of range", width, height);
  RMJ_REQUIRE(samples >= 0 && samples <= 16, "multisample count %d is out of range [0, 16]",
              samples);

  rmj_renderer* r = calloc(1, sizeof *r);
  if (r == NULL) return rmj_fail(RMJ_EGL, "out of memory creating a renderer");
  r->model = m;
  r->width = width;
  r->height = height;
  mjv_defaultScene(&r->scene);
  mjr_defaultContext(&r->context);
  mjv_defaultOption(&r->option);
  mjv_defaultPerturb(&r->perturb);
  mjv_defaultCamera(&r->camera);
  r->row = malloc((size_t)width * 4);
  r->znear = m->vis.map.znear * (float)m->stat.extent;
  r->zfar = m->vis.map.zfar * (float)m->stat.extent;

  int status = r->row != NULL ? rmj_gl_create(backend, width, height, &r->gl)
                              : rmj_fail(RMJ_EGL, "out of memory creating a renderer");
  if (status != RMJ_OK) {
    free_renderer(r);
    return status;
  }

  /* Room for every geom plus the decorations (sites, lights, cameras, contacts) drawn with them. */
  int maxgeom = 2000 + 2 * m->ngeom;
  RMJ_GUARD(status, mjv_makeScene(m, &r->scene, maxgeom));
  if (status == RMJ_OK) status = r->gl->ops->make_current(r->gl);
  if (status == RMJ_OK) {
    /* mjr_makeContext sizes the offscreen buffer from the model's visual settings, so they are
     * set to this renderer's size and sample count for the call and restored right after; the
     * model is otherwise untouched. */
    int old_width = m->vis.global.offwidth, old_height = m->vis.global.offheight;
    int old_samples = m->vis.quality.offsamples;
    m->vis.global.offwidth = width;
    m->vis.global.offheight = height;
    m->vis.quality.offsamples = samples;
    RMJ_GUARD(status, make_context(m, &r->context));
    m->vis.global.offwidth = old_width;
    m->vis.global.offheight = old_height;
    m->vis.quality.offsamples = old_samples;
    if (status == RMJ_OK && r->context.currentBuffer != mjFB_OFFSCREEN)
      status = rmj_fail(RMJ_EGL, "the GL context has no offscreen framebuffer support");
    if (status == RMJ_OK) describe_context(r);
    status = released(r, status);
  }
  if (status != RMJ_OK) {
    free_renderer(r);
    return status;
  }
  *out = r;
  return RMJ_OK;
}

/* glReadPixels returns the bottom row first; images here are top row first. */
static void flip_rows(void* pixels, unsigned char* scratch, size_t row_bytes, int height) {
  unsigned char* p = pixels;
  for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--) {
    memcpy(scratch, p + (size_t)top * row_bytes, row_bytes);
    memcpy(p + (size_t)top * row_bytes, p + (size_t)bottom * row_bytes, row_bytes);
    memcpy(p + (size_t)bottom * row_bytes, scratch, row_bytes);
  }
}

/* Depth-buffer values in [0, 1] -> distance along the view axis in metres (perspective). */
static void linearize_depth(float* depth, size_t count, float znear, float zfar) {
  const float k = 1.0f - znear / zfar;
  for (size_t i = 0; i < count; i++) depth[i] = znear / (1.0f - depth[i] * k);
}

static int set_camera(rmj_renderer* r, const mjModel* m, int camera, const double* lookat,
                      double distance, double azimuth, double elevation) {
  if (camera >= 0) {
    RMJ_REQUIRE(camera < m->ncam, "camera id %d is out of range: the model has %d cameras",
                camera, m->ncam);
    r->camera.type = mjCAMERA_FIXED;
    r->camera.fixedcamid = camera;
  } else if (camera == RMJ_CAMERA_DEFAULT_FREE) {
    mjv_defaultFreeCamera(m, &r->camera);
  } else {
    RMJ_REQUIRE(camera == RMJ_CAMERA_FREE && lookat != NULL, "bad camera selector %d", camera);
    RMJ_REQUIRE(distance > 0, "free camera distance must be positive, got %g", distance);
    r->camera.type = mjCAMERA_FREE;
    r->camera.trackbodyid = -1;
    r->camera.fixedcamid = -1;
    memcpy(r->camera.lookat, lookat, 3 * sizeof(double));
    r->camera.distance = distance;
    r->camera.azimuth = azimuth;
    r->camera.elevation = elevation;
  }
  return RMJ_OK;
}

static void draw(rmj_renderer* r, const mjModel* m, mjData* d, unsigned char* rgb, float* depth) {
  mjrRect viewport = {0, 0, r->width, r->height};
  mjr_setBuffer(mjFB_OFFSCREEN, &r->context);
  /* mjv_updateScene lays out infinite planes (grids that follow the viewer) from the scene's
   * camera *before* it updates that camera, i.e. from the previous frame's. Updating the camera
   * first makes every frame depend on this frame's camera only, so renders are reproducible. */
  mjv_updateCamera(m, d, &r->camera, &r->scene);
  mjv_updateScene(m, d, &r->option, &r->perturb, &r->camera, mjCAT_ALL, &r->scene);
  mjr_render(viewport, &r->scene, &r->context);
  mjr_readPixels(rgb, depth, viewport, &r->context);
}

int rmj_renderer_render(rmj_renderer* r, const mjModel* m, mjData* d, int camera,
                        const double* lookat, double distance, double azimuth, double elevation,
                        int flags, unsigned char* rgb, float* depth) {
  RMJ_REQUIRE(r != NULL && m != NULL && d != NULL, "rmj_renderer_render: NULL argument");
  RMJ_REQUIRE(m == r->model, "the renderer was created for a different model");
  int status = set_camera(r, m, camera, lookat, distance, azimuth, elevation);
  if (status != RMJ_OK) return status;
  r->scene.flags[mjRND_SHADOW] = (flags & RMJ_RENDER_SHADOW) != 0;
  r->scene.flags[mjRND_REFLECTION] = (flags & RMJ_RENDER_REFLECTION) != 0;
  r->scene.flags[mjRND_SKYBOX] = (flags & RMJ_RENDER_SKYBOX) != 0;

  status = r->gl->ops->make_current(r->gl);
  if (status != RMJ_OK) return status;
  RMJ_GUARD_DATA(status, d, draw(r, m, d, rgb, depth));
  status = released(r, status);
  if (status != RMJ_OK) return status;

  if (rgb != NULL) flip_rows(rgb, r->row, (size_t)r->width * 3, r->height);
  if (depth != NULL) {
    flip_rows(depth, r->row, (size_t)r->width * sizeof(float), r->height);
    linearize_depth(depth, (size_t)r->width * (size_t)r->height, r->znear, r->zfar);
  }
  return RMJ_OK;
}

int rmj_renderer_gl_info(const rmj_renderer* r, const char** info) {
  RMJ_REQUIRE(r != NULL && info != NULL, "rmj_renderer_gl_info: NULL argument");
  *info = r->info;
  return RMJ_OK;
}

int rmj_renderer_free(rmj_renderer* r) {
  if (r != NULL) free_renderer(r);
  return RMJ_OK;
}
