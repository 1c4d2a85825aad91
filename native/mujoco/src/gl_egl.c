/*
 * gl_egl.c — rendering through EGL without a window: on a GPU exposed through
 * EGL_EXT_platform_device (MUJOCO_EGL_DEVICE_ID picks one, as in dm_control), otherwise on Mesa's
 * surfaceless platform (llvmpipe), otherwise on the default display.
 *
 * libEGL is opened at first use (see gl.c); its functions are reached through `egl`, whose member
 * types come from egl.h's own prototypes.
 */
#define _GNU_SOURCE
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gl.h"

#define EGL_SYMBOLS(X)                                                                     \
  X(eglGetProcAddress) X(eglQueryString) X(eglGetDisplay) X(eglInitialize) X(eglGetError) \
  X(eglChooseConfig) X(eglBindAPI) X(eglCreateContext) X(eglCreatePbufferSurface)         \
  X(eglMakeCurrent) X(eglDestroySurface) X(eglDestroyContext)

static struct {
#define X(name) __typeof__(name)* name;
  EGL_SYMBOLS(X)
#undef X
} egl;

static const char* egl_library; /* set once loaded; guarded by gl.c's lock */

static int load_egl(void) {
  if (egl_library != NULL) return RMJ_OK;
  static const char* const candidates[] = {"libEGL.so.1", "libEGL.so", NULL};
  void* handle;
  const char* loaded;
  int status = rmj_gl_open_library("EGL (Debian: libegl1)", candidates, &handle, &loaded);
  if (status != RMJ_OK) return status;
#define X(name)                                                     \
  if ((egl.name = (__typeof__(name)*)dlsym(handle, #name)) == NULL) \
    return rmj_fail(RMJ_EGL, "%s has no %s; is it a real EGL?", loaded, #name);
  EGL_SYMBOLS(X)
#undef X
  egl_library = loaded;
  return RMJ_OK;
}

typedef struct egl_gl {
  rmj_gl base;
  EGLDisplay display;
  EGLContext context;
  EGLSurface surface; /* EGL_NO_SURFACE when the display supports surfaceless contexts */
} egl_gl;

static int has_extension(const char* list, const char* name) {
  size_t n = strlen(name);
  for (const char* p = list; p != NULL && (p = strstr(p, name)) != NULL; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
  return 0;
}

static EGLDisplay initialized(EGLDisplay display) {
  EGLint major, minor;
  return (display != EGL_NO_DISPLAY && egl.eglInitialize(display, &major, &minor))
             ? display
             : EGL_NO_DISPLAY;
}

/* A device display: the one MUJOCO_EGL_DEVICE_ID names, or the first that initializes. */
static EGLDisplay device_display(PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display) {
  PFNEGLQUERYDEVICESEXTPROC query_devices =
      (PFNEGLQUERYDEVICESEXTPROC)egl.eglGetProcAddress("eglQueryDevicesEXT");
  if (query_devices == NULL) return EGL_NO_DISPLAY;
  EGLDeviceEXT devices[16];
  EGLint count = 0;
  if (!query_devices(16, devices, &count) || count <= 0) return EGL_NO_DISPLAY;
  const char* wanted = getenv("MUJOCO_EGL_DEVICE_ID");
  if (wanted != NULL && wanted[0] != '\0') {
    int id = atoi(wanted);
    if (id < 0 || id >= count) return EGL_NO_DISPLAY;
    return initialized(get_platform_display(EGL_PLATFORM_DEVICE_EXT, devices[id], NULL));
  }
  for (EGLint i = 0; i < count; i++) {
    EGLDisplay display =
        initialized(get_platform_display(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL));
    if (display != EGL_NO_DISPLAY) return display;
  }
  return EGL_NO_DISPLAY;
}

static EGLDisplay open_display(void) {
  const char* client = egl.eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
      (PFNEGLGETPLATFORMDISPLAYEXTPROC)egl.eglGetProcAddress("eglGetPlatformDisplayEXT");
  EGLDisplay display = EGL_NO_DISPLAY;
  if (get_platform_display != NULL && has_extension(client, "EGL_EXT_platform_device"))
    display = device_display(get_platform_display);
  if (display == EGL_NO_DISPLAY && get_platform_display != NULL &&
      has_extension(client, "EGL_MESA_platform_surfaceless"))
    display = initialized(get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, NULL, NULL));
  if (display == EGL_NO_DISPLAY) display = initialized(egl.eglGetDisplay(EGL_DEFAULT_DISPLAY));
  return display;
}

static int egl_make_current(rmj_gl* gl) {
  egl_gl* g = (egl_gl*)gl;
  /* The bound API is per thread, and this thread may never have rendered before. */
  if (!egl.eglBindAPI(EGL_OPENGL_API) ||
      !egl.eglMakeCurrent(g->display, g->surface, g->surface, g->context))
    return rmj_fail(RMJ_EGL, "eglMakeCurrent failed (EGL error 0x%x)", egl.eglGetError());
  return RMJ_OK;
}

static void egl_release(rmj_gl* gl) {
  egl_gl* g = (egl_gl*)gl;
  egl.eglMakeCurrent(g->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

/* The display is shared by every context on its device and is never terminated: that would
 * pull it from under other renderers. The process's exit releases it. */
static void egl_destroy(rmj_gl* gl) {
  egl_gl* g = (egl_gl*)gl;
  if (g->surface != EGL_NO_SURFACE) egl.eglDestroySurface(g->display, g->surface);
  if (g->context != EGL_NO_CONTEXT) egl.eglDestroyContext(g->display, g->context);
  free(g);
}

static void* egl_get_proc(const char* name) { return (void*)egl.eglGetProcAddress(name); }

static const rmj_gl_ops egl_ops = {"egl", egl_make_current, egl_release, egl_destroy,
                                   egl_get_proc};

static int egl_fail(egl_gl* g, const char* what) {
  EGLint error = egl.eglGetError();
  egl_destroy(&g->base);
  return rmj_fail(RMJ_EGL, "EGL: %s (EGL error 0x%x); MUJOCO_GL=osmesa renders on the CPU", what,
                  error);
}

int rmj_gl_create_egl(int width, int height, rmj_gl** out, const char** library) {
  int status = load_egl();
  if (status != RMJ_OK) return status;
  egl_gl* g = calloc(1, sizeof *g);
  if (g == NULL) return rmj_fail(RMJ_EGL, "out of memory creating an EGL context");
  g->base.ops = &egl_ops;
  g->context = EGL_NO_CONTEXT;
  g->surface = EGL_NO_SURFACE;

  g->display = open_display();
  if (g->display == EGL_NO_DISPLAY) return egl_fail(g, "no usable EGL display");

  static const EGLint config_attributes[] = {
      EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
      EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8,
      EGL_DEPTH_SIZE, 24, EGL_STENCIL_SIZE, 8, EGL_NONE};
  EGLConfig config;
  EGLint configs = 0;
  if (!egl.eglChooseConfig(g->display, config_attributes, &config, 1, &configs) || configs < 1)
    return egl_fail(g, "no RGBA8/depth24/stencil8 OpenGL pbuffer config");
  if (!egl.eglBindAPI(EGL_OPENGL_API)) return egl_fail(g, "desktop OpenGL is not supported");

  g->context = egl.eglCreateContext(g->display, config, EGL_NO_CONTEXT, NULL);
  if (g->context == EGL_NO_CONTEXT) return egl_fail(g, "eglCreateContext failed");

  /* MuJoCo renders into its own framebuffer object; a surface is needed only where the display
   * cannot make a context current without one. */
  const char* display_extensions = egl.eglQueryString(g->display, EGL_EXTENSIONS);
  if (!has_extension(display_extensions, "EGL_KHR_surfaceless_context")) {
    const EGLint surface_attributes[] = {EGL_WIDTH, width, EGL_HEIGHT, height, EGL_NONE};
    g->surface = egl.eglCreatePbufferSurface(g->display, config, surface_attributes);
    if (g->surface == EGL_NO_SURFACE) return egl_fail(g, "eglCreatePbufferSurface failed");
  }
  *out = &g->base;
  *library = egl_library;
  return RMJ_OK;
}
