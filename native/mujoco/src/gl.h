/*
 * gl.h — a current-able OpenGL context, independent of how it was made (OSMesa or EGL).
 *
 * Contexts are thread-affine: the renderer makes its context current on the calling thread for
 * each call and releases it afterwards, so a renderer may be used from any thread, one at a time.
 */
#ifndef RMJ_GL_H_
#define RMJ_GL_H_

typedef struct rmj_gl rmj_gl;

typedef struct rmj_gl_ops {
  const char* name;
  int (*make_current)(rmj_gl* gl);  /* RMJ_OK or RMJ_EGL with the last error set */
  void (*release)(rmj_gl* gl);
  void (*destroy)(rmj_gl* gl);
  void* (*get_proc)(const char* name);
} rmj_gl_ops;

struct rmj_gl {
  const rmj_gl_ops* ops;
};

/* Creates a context for `backend` (RMJ_GL_OSMESA / RMJ_GL_EGL), not current on return, and makes
 * that backend the one MuJoCo's GL loader uses in this process (see gl.c). */
int rmj_gl_create(int backend, int width, int height, rmj_gl** out);

/* The interactive viewer draws with a GL context the caller made (a GLFW window, GLX). MuJoCo's
 * loader can hold only one platform's entry points per process, so before making an mjrContext
 * for a window, rmj_gl_check_window fails (RMJ_EGL, last error set) if an offscreen backend has
 * them; rmj_gl_claim_window, after success, makes later offscreen renderers fail the same way. */
int rmj_gl_check_window(void);
void rmj_gl_claim_window(void);

/* ---- for the backends ---------------------------------------------------------------------- */
/* Opens the first of `candidates` (NULL-terminated) RTLD_LOCAL; *loaded names the one opened. */
int rmj_gl_open_library(const char* what, const char* const* candidates, void** handle,
                        const char** loaded);

/* Each backend loads its library on first use (under gl.c's lock), then creates contexts.
 * *library names the loaded library, for making it global once a context exists. */
int rmj_gl_create_osmesa(int width, int height, rmj_gl** out, const char** library);
int rmj_gl_create_egl(int width, int height, rmj_gl** out, const char** library);

#endif /* RMJ_GL_H_ */
