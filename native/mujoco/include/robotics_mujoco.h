/*
 * robotics_mujoco.h — the C boundary between the Robotics C# bindings and MuJoCo 2.2.2.
 *
 * Why a shim at all: C# never mirrors MuJoCo's struct layouts (they change between releases),
 * so every field is reached by name through mjxmacro.h here, and C# receives a pointer + shape.
 *
 * Conventions (every export follows them, so the C# side can check them one way):
 *   - names are rmj_<area>_<op>;
 *   - the return value is a status: RMJ_OK (0) or a negative RMJ_E* code;
 *   - on failure a message is stored in a thread-local buffer that rmj_last_error() returns,
 *     valid until the next failing call on the same thread (nothing to free, nothing leaks);
 *   - outputs go through pointer parameters; returned strings point into MuJoCo-owned memory
 *     (model names) or the shim's thread-local buffers and must be copied, never freed;
 *   - mju_error raised inside a call is caught (longjmp back into that call) and reported as
 *     RMJ_EMUJOCO; the process never aborts;
 *   - mju_warning messages are queued process-wide; rmj_warning_pop drains them.
 *
 * mjModel* and mjData* are passed through opaquely; the renderer is the shim's own object.
 */
#ifndef ROBOTICS_MUJOCO_H_
#define ROBOTICS_MUJOCO_H_

#include <mujoco/mujoco.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define RMJ_API __declspec(dllexport)
#else
#define RMJ_API __attribute__((visibility("default")))
#endif

/* ---- status codes --------------------------------------------------------------------------- */
enum {
  RMJ_OK = 0,
  RMJ_EMUJOCO = -1,    /* MuJoCo reported an error (mju_error or a load error) */
  RMJ_EARGUMENT = -2,  /* a bad argument: NULL pointer, id or length out of range */
  RMJ_ENOTFOUND = -3,  /* a field or name that does not exist */
  RMJ_EGL = -4         /* the OpenGL context could not be created or made current */
};

/* Element kinds reported by the field accessors. */
enum {
  RMJ_KIND_DOUBLE = 0,  /* mjtNum */
  RMJ_KIND_INT = 1,
  RMJ_KIND_FLOAT = 2,
  RMJ_KIND_BYTE = 3,    /* mjtByte (unsigned char) */
  RMJ_KIND_CHAR = 4,
  RMJ_KIND_OTHER = 5    /* a MuJoCo struct (e.g. mjContact): only its size is reported */
};

/* Renderer backends (MUJOCO_GL=osmesa|egl on the C# side). */
enum { RMJ_GL_OSMESA = 0, RMJ_GL_EGL = 1 };

/* Scene flags for rmj_renderer_render (bit set = feature on). */
enum { RMJ_RENDER_SHADOW = 1, RMJ_RENDER_REFLECTION = 2, RMJ_RENDER_SKYBOX = 4 };

/* Camera selectors for rmj_renderer_render (>= 0 selects a fixed model camera by id). */
enum { RMJ_CAMERA_FREE = -1, RMJ_CAMERA_DEFAULT_FREE = -2 };

/* ---- errors, warnings, version -------------------------------------------------------------- */
RMJ_API const char* rmj_last_error(void);
/* Pops the oldest queued MuJoCo warning into buf (NUL-terminated, truncated to capacity);
 * *popped is 1 if a warning was popped, 0 if the queue was empty. *dropped (may be NULL) gets
 * the number of warnings discarded since the last pop because the queue was full. */
RMJ_API int rmj_warning_pop(char* buf, int capacity, int* popped, int* dropped);
RMJ_API int rmj_version(int* version, const char** version_string);

/* ---- model ---------------------------------------------------------------------------------- */
RMJ_API int rmj_model_load_xml(const char* path, mjModel** out);
/* Loads MJCF text; includes and asset files resolve relative to asset_dir (NULL: the current
 * directory). The text travels through MuJoCo's VFS, so nothing is written to disk. */
RMJ_API int rmj_model_load_xml_string(const char* xml, const char* asset_dir, mjModel** out);
RMJ_API int rmj_model_free(mjModel* m);
/* A size from MJMODEL_INTS ("nq", "nbody", ...). */
RMJ_API int rmj_model_int(const mjModel* m, const char* name, int* out);
/* A model array from MJMODEL_POINTERS ("body_mass", ...) or an option ("opt.timestep",
 * "opt.gravity", ...; scalars are 1x1). The pointer stays valid for the model's lifetime. */
RMJ_API int rmj_model_field(mjModel* m, const char* name, void** ptr, int* rows, int* cols,
                            int* kind, int* element_size);
RMJ_API int rmj_model_name(const mjModel* m, const char** name);
/* Number of objects of an mjtObj type. */
RMJ_API int rmj_model_count(const mjModel* m, int type, int* count);
/* *id is -1 when no object of that type has that name (not an error). */
RMJ_API int rmj_model_name2id(const mjModel* m, int type, const char* name, int* id);
/* *name is NULL when the object has no name. */
RMJ_API int rmj_model_id2name(const mjModel* m, int type, int id, const char** name);

/* ---- data ----------------------------------------------------------------------------------- */
RMJ_API int rmj_data_make(const mjModel* m, mjData** out);
RMJ_API int rmj_data_free(mjData* d);
/* An mjData array from MJDATA_POINTERS ("qpos", "xfrc_applied", ...) or scalar from
 * MJDATA_SCALAR ("time", "ncon", ...; 1x1). Valid for the data's lifetime. */
RMJ_API int rmj_data_field(const mjModel* m, mjData* d, const char* name, void** ptr, int* rows,
                           int* cols, int* kind, int* element_size);
RMJ_API int rmj_data_copy(const mjModel* m, mjData* dst, const mjData* src);
/* mj_step nstep times in one call (the loop stays in C). */
RMJ_API int rmj_data_step(const mjModel* m, mjData* d, int nstep);
RMJ_API int rmj_data_step1(const mjModel* m, mjData* d);
RMJ_API int rmj_data_step2(const mjModel* m, mjData* d);
RMJ_API int rmj_data_forward(const mjModel* m, mjData* d);
/* Positions only (mj_kinematics + mj_comPos): body and site frames and what Jacobians need, no forces or contacts. */
RMJ_API int rmj_data_kinematics(const mjModel* m, mjData* d);
RMJ_API int rmj_data_reset(const mjModel* m, mjData* d);
RMJ_API int rmj_data_reset_keyframe(const mjModel* m, mjData* d, int key);

/* ---- state: everything mj_step reads, as one vector ----------------------------------------- */
/* Layout: time, qpos[nq], qvel[nv], act[na], qacc_warmstart[nv], ctrl[nu], qfrc_applied[nv],
 * xfrc_applied[6*nbody], mocap_pos[3*nmocap], mocap_quat[4*nmocap], userdata[nuserdata]. */
RMJ_API int rmj_state_size(const mjModel* m, int* size);
RMJ_API int rmj_state_get(const mjModel* m, const mjData* d, double* state, int size);
RMJ_API int rmj_state_set(const mjModel* m, mjData* d, const double* state, int size);

/* ---- Jacobians and contacts ----------------------------------------------------------------- */
/* jacp / jacr: 3 x nv row-major, either may be NULL. Needs kinematics (mj_forward) first. */
RMJ_API int rmj_jac_site(const mjModel* m, const mjData* d, int site, double* jacp, double* jacr);
RMJ_API int rmj_jac_body(const mjModel* m, const mjData* d, int body, double* jacp, double* jacr);

/* One contact, in the shim's own fixed layout (mirrored by MjContact in C#). */
typedef struct rmj_contact {
  double dist;      /* signed distance; negative = penetration */
  double pos[3];    /* contact point, world frame */
  double frame[9];  /* contact frame: row 0 is the normal (geom1 -> geom2), world frame */
  double force[6];  /* mj_contactForce: normal, 2 tangential, 3 torsional/rolling; contact frame */
  int geom1;
  int geom2;
} rmj_contact;

RMJ_API int rmj_contact_get(const mjModel* m, const mjData* d, int index, rmj_contact* out);

/* ---- offscreen rendering -------------------------------------------------------------------- */
typedef struct rmj_renderer rmj_renderer;

/* Creates a GL context (OSMesa or EGL), an mjvScene and an mjrContext with an offscreen buffer
 * of width x height and `samples` multisamples. The GL loader inside MuJoCo is process-wide, so
 * the first renderer fixes the backend for the process; asking for the other one fails. */
RMJ_API int rmj_renderer_create(mjModel* m, int width, int height, int backend, int samples,
                                rmj_renderer** out);
/* Renders d (made current on the calling thread, released afterwards) and reads pixels with row 0
 * at the top. rgb: width*height*3 bytes or NULL; depth: width*height floats (metres along the
 * view axis) or NULL. camera: a fixed camera id, RMJ_CAMERA_FREE (lookat/distance/azimuth/
 * elevation used) or RMJ_CAMERA_DEFAULT_FREE (the model's default free camera). */
RMJ_API int rmj_renderer_render(rmj_renderer* r, const mjModel* m, mjData* d, int camera,
                                const double* lookat, double distance, double azimuth,
                                double elevation, int flags, unsigned char* rgb, float* depth);
/* GL_VENDOR / GL_RENDERER / GL_VERSION of the context, for reports. */
RMJ_API int rmj_renderer_gl_info(const rmj_renderer* r, const char** info);
RMJ_API int rmj_renderer_free(rmj_renderer* r);

/* ---- interactive viewer: scene, free camera and options, drawn into the caller's window ------ */
/* The caller owns the window and its GL context (GLFW on the C# side). Functions marked GL need
 * that context current on the calling thread; the others never touch GL, so a viewer without a
 * context is a scene and a camera that can be updated and moved headless. */
typedef struct rmj_viewer rmj_viewer;

/* Scene (room for the model's geoms and decorations), the model's default free camera, default
 * visual options. No GL. */
RMJ_API int rmj_viewer_create(mjModel* m, rmj_viewer** out);
/* Frees memory only, on any thread; call rmj_viewer_free_context first (GL) to delete the GL
 * objects, or let the window's context take them with it when it is destroyed. */
RMJ_API int rmj_viewer_free(rmj_viewer* v);
/* GL: an mjrContext for the current context (mjr_makeContext, font_scale one of 50..300 step 50),
 * drawing into its window framebuffer. Fails if that context has no window framebuffer, or if the
 * process renders offscreen (MuJoCo's GL loader is process-wide; afterwards, offscreen renderers
 * fail the same way). */
RMJ_API int rmj_viewer_make_context(rmj_viewer* v, const mjModel* m, int font_scale);
/* GL: mjr_freeContext; a no-op when there is none. */
RMJ_API int rmj_viewer_free_context(rmj_viewer* v);

/* mjv_moveCamera with action mjMOUSE_ROTATE_V/H, mjMOUSE_MOVE_V/H or mjMOUSE_ZOOM; reldx and
 * reldy are the mouse displacement divided by the window height. d is needed to place the camera
 * before a move (mjv_updateCamera). */
RMJ_API int rmj_viewer_move_camera(rmj_viewer* v, const mjModel* m, mjData* d, int action,
                                   double reldx, double reldy);
RMJ_API int rmj_viewer_camera(const rmj_viewer* v, double* lookat, double* distance,
                              double* azimuth, double* elevation);
/* Makes the camera a free camera at this pose (angles in degrees). */
RMJ_API int rmj_viewer_set_camera(rmj_viewer* v, const double* lookat, double distance,
                                  double azimuth, double elevation);
/* Makes the camera a free camera at a model camera's viewpoint (d needs kinematics: cam_xpos),
 * looking along its axis at the point nearest the model's center (m->stat.center). */
RMJ_API int rmj_viewer_look_from(rmj_viewer* v, const mjModel* m, const mjData* d, int camera);
/* mjvOption.flags[flag] for an mjtVisFlag (mjVIS_CONTACTPOINT, mjVIS_CONTACTFORCE, ...). */
RMJ_API int rmj_viewer_flag(const rmj_viewer* v, int flag, int* value);
RMJ_API int rmj_viewer_set_flag(rmj_viewer* v, int flag, int value);
/* mjv_updateCamera + mjv_updateScene from d. No GL. */
RMJ_API int rmj_viewer_update(rmj_viewer* v, const mjModel* m, mjData* d);
/* Number of geoms in the scene after the last update (model geoms plus decorations). */
RMJ_API int rmj_viewer_scene_geoms(const rmj_viewer* v, int* ngeom);
/* GL: mjr_render of the last update into the window's (0, 0, width, height) viewport. */
RMJ_API int rmj_viewer_render(rmj_viewer* v, int width, int height);
/* GL: mjr_overlay text in a corner (mjtGridPos) with an mjtFont; title and content are
 * newline-separated columns (NULL: empty). */
RMJ_API int rmj_viewer_overlay(rmj_viewer* v, int font, int gridpos, int width, int height,
                               const char* title, const char* content);
/* GL: reads the (0, 0, width, height) RGB pixels just drawn (the back buffer, before a swap),
 * width*height*3 bytes with row 0 at the top. */
RMJ_API int rmj_viewer_read_pixels(rmj_viewer* v, int width, int height, unsigned char* rgb);

#ifdef __cplusplus
}
#endif
#endif /* ROBOTICS_MUJOCO_H_ */
