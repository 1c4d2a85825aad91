/*
 * gl_osmesa.c — CPU rendering through OSMesa (Mesa's llvmpipe), no display or GPU needed.
 *
 * libOSMesa is opened at first use (see gl.c); its functions are reached through `osm`, whose
 * member types come from osmesa.h's own prototypes. MuJoCo draws into its own framebuffer object,
 * so the OSMesa colour buffer only has to exist for OSMesaMakeCurrent.
 */
#define _GNU_SOURCE
#include <GL/osmesa.h>
#include <dlfcn.h>
#include <stdlib.h>

#include "error.h"
#include "gl.h"

#define OSMESA_SYMBOLS(X) \
  X(OSMesaCreateContextExt) X(OSMesaMakeCurrent) X(OSMesaDestroyContext) X(OSMesaGetProcAddress)

static struct {
#define X(name) __typeof__(name)* name;
  OSMESA_SYMBOLS(X)
#undef X
} osm;

static const char* osmesa_library; /* set once loaded; guarded by gl.c's lock */

static int load_osmesa(void) {
  if (osmesa_library != NULL) return RMJ_OK;
  static const char* const candidates[] = {"libOSMesa.so.8", "libOSMesa.so.6", "libOSMesa.so",
                                           NULL};
  void* handle;
  const char* loaded;
  int status = rmj_gl_open_library("OSMesa (Debian: libosmesa6)", candidates, &handle, &loaded);
  if (status != RMJ_OK) return status;
#define X(name)                                                                     \
  if ((osm.name = (__typeof__(name)*)dlsym(handle, #name)) == NULL)                 \
    return rmj_fail(RMJ_EGL, "%s has no %s; is it a real OSMesa?", loaded, #name);
  OSMESA_SYMBOLS(X)
#undef X
  osmesa_library = loaded;
  return RMJ_OK;
}

typedef struct osmesa_gl {
  rmj_gl base;
  OSMesaContext context;
  void* buffer;
  int width, height;
} osmesa_gl;

static int osmesa_make_current(rmj_gl* gl) {
  osmesa_gl* g = (osmesa_gl*)gl;
  if (!osm.OSMesaMakeCurrent(g->context, g->buffer, GL_UNSIGNED_BYTE, g->width, g->height))
    return rmj_fail(RMJ_EGL, "OSMesaMakeCurrent failed");
  return RMJ_OK;
}

static void osmesa_release(rmj_gl* gl) {
  (void)gl;
  osm.OSMesaMakeCurrent(NULL, NULL, 0, 0, 0);
}

static void osmesa_destroy(rmj_gl* gl) {
  osmesa_gl* g = (osmesa_gl*)gl;
  if (g->context != NULL) osm.OSMesaDestroyContext(g->context);
  free(g->buffer);
  free(g);
}

static void* osmesa_get_proc(const char* name) { return (void*)osm.OSMesaGetProcAddress(name); }

static const rmj_gl_ops osmesa_ops = {"osmesa", osmesa_make_current, osmesa_release,
                                      osmesa_destroy, osmesa_get_proc};

int rmj_gl_create_osmesa(int width, int height, rmj_gl** out, const char** library) {
  int status = load_osmesa();
  if (status != RMJ_OK) return status;
  osmesa_gl* g = calloc(1, sizeof *g);
  if (g == NULL) return rmj_fail(RMJ_EGL, "out of memory creating an OSMesa context");
  g->base.ops = &osmesa_ops;
  g->width = width;
  g->height = height;
  g->buffer = malloc((size_t)width * (size_t)height * 4);
  /* RGBA colour, 24-bit depth, 8-bit stencil (MuJoCo's shadows and reflections use stencil). */
  g->context = osm.OSMesaCreateContextExt(OSMESA_RGBA, 24, 8, 0, NULL);
  if (g->buffer == NULL || g->context == NULL) {
    osmesa_destroy(&g->base);
    return rmj_fail(RMJ_EGL, "OSMesaCreateContextExt failed (is llvmpipe usable?)");
  }
  *out = &g->base;
  *library = osmesa_library;
  return RMJ_OK;
}
