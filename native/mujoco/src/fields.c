/*
 * fields.c — model and data fields by name, generated from mjxmacro.h.
 *
 * The X-macro lists are MuJoCo's own description of its structs, so this file follows whatever
 * the installed headers say: C# asks for "qpos" and gets pointer, rows, cols and element kind,
 * never an offset it computed itself.
 */
#include <string.h>

#include <mujoco/mjxmacro.h>

#include "error.h"

#define RMJ_KIND_OF(type)                                               \
  _Generic((type*)0, mjtNum*: RMJ_KIND_DOUBLE, int*: RMJ_KIND_INT,      \
           float*: RMJ_KIND_FLOAT, mjtByte*: RMJ_KIND_BYTE,             \
           char*: RMJ_KIND_CHAR, default: RMJ_KIND_OTHER)

static int found(void* p, int r, int c, int k, int size, void** ptr, int* rows, int* cols,
                 int* kind, int* element_size) {
  *ptr = p;
  *rows = r;
  *cols = c;
  *kind = k;
  *element_size = size;
  return RMJ_OK;
}

#define RMJ_FIELD_OUTS ptr, rows, cols, kind, element_size
#define RMJ_REQUIRE_FIELD_OUTS(fn)                                                          \
  RMJ_REQUIRE(name != NULL && ptr != NULL && rows != NULL && cols != NULL && kind != NULL && \
                  element_size != NULL,                                                     \
              fn ": NULL argument")

int rmj_model_int(const mjModel* m, const char* name, int* out) {
  RMJ_REQUIRE(m != NULL && name != NULL && out != NULL, "rmj_model_int: NULL argument");
#define X(field)                   \
  if (strcmp(name, #field) == 0) { \
    *out = m->field;               \
    return RMJ_OK;                 \
  }
  MJMODEL_INTS
#undef X
  return rmj_fail(RMJ_ENOTFOUND, "mjModel has no size named '%s'", name);
}

/* "opt.<name>": mjOption lives inside mjModel, so its fields are writable in place. */
static int option_field(mjModel* m, const char* name, void** ptr, int* rows, int* cols, int* kind,
                        int* element_size) {
#define X(type, field)               \
  if (strcmp(name, #field) == 0)     \
    return found(&m->opt.field, 1, 1, RMJ_KIND_OF(type), sizeof(type), RMJ_FIELD_OUTS);
  MJOPTION_SCALARS
#undef X
#define X(field, size)             \
  if (strcmp(name, #field) == 0) \
    return found(m->opt.field, 1, size, RMJ_KIND_DOUBLE, sizeof(mjtNum), RMJ_FIELD_OUTS);
  MJOPTION_VECTORS
#undef X
  return rmj_fail(RMJ_ENOTFOUND, "mjOption has no field named '%s'", name);
}

int rmj_model_field(mjModel* m, const char* name, void** ptr, int* rows, int* cols, int* kind,
                    int* element_size) {
  RMJ_REQUIRE(m != NULL, "rmj_model_field: NULL model");
  RMJ_REQUIRE_FIELD_OUTS("rmj_model_field");
  if (strncmp(name, "opt.", 4) == 0) return option_field(m, name + 4, RMJ_FIELD_OUTS);

  MJMODEL_POINTERS_PREAMBLE(m)
#define X(type, field, nr, nc)     \
  if (strcmp(name, #field) == 0) \
    return found(m->field, m->nr, nc, RMJ_KIND_OF(type), sizeof(type), RMJ_FIELD_OUTS);
  MJMODEL_POINTERS
#undef X
  return rmj_fail(RMJ_ENOTFOUND, "mjModel has no array named '%s'", name);
}

int rmj_data_field(const mjModel* m, mjData* d, const char* name, void** ptr, int* rows,
                   int* cols, int* kind, int* element_size) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_data_field: NULL model or data");
  RMJ_REQUIRE_FIELD_OUTS("rmj_data_field");

  MJDATA_POINTERS_PREAMBLE(m)
#define X(type, field, nr, nc)     \
  if (strcmp(name, #field) == 0) \
    return found(d->field, m->nr, nc, RMJ_KIND_OF(type), sizeof(type), RMJ_FIELD_OUTS);
  MJDATA_POINTERS
#undef X
#define X(type, field)           \
  if (strcmp(name, #field) == 0) \
    return found(&d->field, 1, 1, RMJ_KIND_OF(type), sizeof(type), RMJ_FIELD_OUTS);
  MJDATA_SCALAR
#undef X
  return rmj_fail(RMJ_ENOTFOUND, "mjData has no field named '%s'", name);
}
