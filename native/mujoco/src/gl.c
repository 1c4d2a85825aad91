/*
 * gl.c — picks the GL backend and prepares MuJoCo's GL loader for it.
 *
 * MuJoCo 2.2 loads GL entry points with its own glad loader (mjGladLoadGL, run by
 * mjr_makeContext). It looks, in this order, for eglGetProcAddress, OSMesaGetProcAddress and
 * glXGetProcAddressARB in the process's *global* symbol scope, and only then walks the loaded
 * libraries for libGLX/libGL/libEGL/libOSMesa by name, taking the first it finds. So:
 *   - the backend libraries are not linked but opened here, RTLD_LOCAL, only when a renderer asks
 *     for them; a physics-only process never loads GL (nor llvmpipe's LLVM), and a missing
 *     library is a clear error at renderer creation rather than a shim that fails to load;
 *   - once a context exists, its library is promoted to RTLD_GLOBAL, so MuJoCo's first, global
 *     look-up finds that backend's GetProcAddress;
 *   - that look-up prefers EGL whenever libEGL is global, and the pointers it loads are
 *     process-wide, so the first backend that works fixes it for the process; asking for the
 *     other one afterwards is an error rather than a black image. A viewer window's context
 *     (GLX, made by the caller; see viewer.c) counts as a third such backend.
 */
#define _GNU_SOURCE
#include "gl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static pthread_mutex_t backend_lock = PTHREAD_MUTEX_INITIALIZER;
static int process_backend = -1;

/* Not an offscreen backend: a window's context that the caller made (rmj_gl_claim_window). */
enum { RMJ_GL_WINDOW = 2 };

static const char* backend_name(int backend) {
  return backend == RMJ_GL_WINDOW ? "a window's GL context (the viewer)"
         : backend == RMJ_GL_EGL  ? "MUJOCO_GL=egl"
                                  : "MUJOCO_GL=osmesa";
}

static int refuse_second_loader(int used, int wanted) {
  return rmj_fail(RMJ_EGL,
                  "this process already renders through %s; MuJoCo's GL loader is process-wide, so "
                  "%s cannot be used as well (use one backend per process)",
                  backend_name(used), backend_name(wanted));
}

int rmj_gl_open_library(const char* what, const char* const* candidates, void** handle,
                        const char** loaded) {
  char tried[512] = "";
  for (const char* const* name = candidates; *name != NULL; name++) {
    *handle = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
    if (*handle != NULL) {
      *loaded = *name;
      return RMJ_OK;
    }
    size_t used = strlen(tried);
    snprintf(tried + used, sizeof tried - used, "%s%s", used ? ", " : "", *name);
  }
  return rmj_fail(RMJ_EGL, "could not load the %s library (tried %s): %s", what, tried,
                  dlerror());
}

static int make_global(const char* library) {
  /* RTLD_NOLOAD: it is loaded already; this only widens its visibility. The handle is kept for
   * the life of the process on purpose. */
  if (dlopen(library, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) == NULL)
    return rmj_fail(RMJ_EGL, "could not make %s globally visible: %s", library, dlerror());
  return RMJ_OK;
}

/* OSMesa only works if nothing made libEGL global before us (MuJoCo would pick EGL). */
static int check_loader_will_use(int backend) {
  if (backend != RMJ_GL_OSMESA) return RMJ_OK;
  void* global = dlopen(NULL, RTLD_NOW);
  void* egl = global != NULL ? dlsym(global, "eglGetProcAddress") : NULL;
  if (egl != NULL)
    return rmj_fail(RMJ_EGL,
                    "libEGL is globally loaded in this process, so MuJoCo would load GL through "
                    "EGL, not OSMesa; use MUJOCO_GL=egl in this process");
  return RMJ_OK;
}

int rmj_gl_create(int backend, int width, int height, rmj_gl** out) {
  RMJ_REQUIRE(backend == RMJ_GL_OSMESA || backend == RMJ_GL_EGL, "unknown GL backend %d",
              backend);
  RMJ_REQUIRE(out != NULL, "rmj_gl_create: NULL output");
  pthread_mutex_lock(&backend_lock);
  int status = RMJ_OK;
  if (process_backend != -1 && process_backend != backend) {
    status = refuse_second_loader(process_backend, backend);
  } else {
    rmj_gl* gl = NULL;
    const char* library = NULL;
    status = backend == RMJ_GL_EGL ? rmj_gl_create_egl(width, height, &gl, &library)
                                   : rmj_gl_create_osmesa(width, height, &gl, &library);
    /* Fixed only once a context exists, so a failed attempt leaves the other backend usable. */
    if (status == RMJ_OK && process_backend == -1) {
      status = check_loader_will_use(backend);
      if (status == RMJ_OK) status = make_global(library);
      if (status == RMJ_OK) process_backend = backend;
    }
    if (status == RMJ_OK) *out = gl;
    else if (gl != NULL) gl->ops->destroy(gl);
  }
  pthread_mutex_unlock(&backend_lock);
  return status;
}

int rmj_gl_check_window(void) {
  pthread_mutex_lock(&backend_lock);
  int status = process_backend == -1 || process_backend == RMJ_GL_WINDOW
                   ? RMJ_OK
                   : refuse_second_loader(process_backend, RMJ_GL_WINDOW);
  pthread_mutex_unlock(&backend_lock);
  return status;
}

void rmj_gl_claim_window(void) {
  pthread_mutex_lock(&backend_lock);
  if (process_backend == -1) process_backend = RMJ_GL_WINDOW;
  pthread_mutex_unlock(&backend_lock);
}
