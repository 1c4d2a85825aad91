/* model.c — loading MJCF, freeing models, names <-> ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* mj_loadXML's error buffer; MuJoCo writes at most this much. */
#define RMJ_LOAD_ERROR_CAPACITY 1000

/* mj_loadXML under a guard, in a frame of its own so nothing else lives across the setjmp.
 * On a load error, `error` holds MuJoCo's message (with the XML line where it has one). */
static int load_xml(const char* filename, const mjVFS* vfs, char* error, mjModel** out) {
  int status;
  RMJ_GUARD(status, *out = mj_loadXML(filename, vfs, error, RMJ_LOAD_ERROR_CAPACITY));
  return status;
}

int rmj_model_load_xml(const char* path, mjModel** out) {
  RMJ_REQUIRE(path != NULL && out != NULL, "rmj_model_load_xml: NULL argument");
  char error[RMJ_LOAD_ERROR_CAPACITY] = "";
  mjModel* m = NULL;
  int status = load_xml(path, NULL, error, &m);
  if (status != RMJ_OK) return status;
  if (m == NULL) return rmj_fail(RMJ_EMUJOCO, "could not load model '%s': %s", path, error);
  *out = m;
  return RMJ_OK;
}

/*
 * The text goes into a VFS under a file name inside asset_dir. MuJoCo takes the model directory
 * from that name, so <include> and mesh/texture files resolve against asset_dir on disk, while
 * the model file itself is found in the VFS (VFS look-ups compare names without their path).
 */
#define RMJ_VFS_MODEL_NAME "__robotics_model_from_string__.xml"

int rmj_model_load_xml_string(const char* xml, const char* asset_dir, mjModel** out) {
  RMJ_REQUIRE(xml != NULL && out != NULL, "rmj_model_load_xml_string: NULL argument");
  const char* dir = (asset_dir != NULL && asset_dir[0] != '\0') ? asset_dir : ".";
  size_t dir_length = strlen(dir);
  RMJ_REQUIRE(dir_length + sizeof RMJ_VFS_MODEL_NAME + 1 < mjMAXVFSNAME,
              "asset directory path is too long for MuJoCo (%zu characters)", dir_length);

  char filename[mjMAXVFSNAME];
  int slash = dir[dir_length - 1] == '/';
  snprintf(filename, sizeof filename, "%s%s%s", dir, slash ? "" : "/", RMJ_VFS_MODEL_NAME);

  /* mjVFS is ~2 MB of fixed arrays: heap, not stack. */
  mjVFS* vfs = malloc(sizeof *vfs);
  if (vfs == NULL) return rmj_fail(RMJ_EMUJOCO, "out of memory allocating a MuJoCo VFS");
  mj_defaultVFS(vfs);

  int length = (int)strlen(xml);
  char error[RMJ_LOAD_ERROR_CAPACITY] = "";
  mjModel* m = NULL;
  int status = RMJ_OK;
  if (mj_makeEmptyFileVFS(vfs, RMJ_VFS_MODEL_NAME, length) != 0) {
    status = rmj_fail(RMJ_EMUJOCO, "could not add the model text to a MuJoCo VFS");
  } else {
    memcpy(vfs->filedata[vfs->nfile - 1], xml, (size_t)length);
    status = load_xml(filename, vfs, error, &m);
  }
  mj_deleteVFS(vfs);
  free(vfs);
  if (status != RMJ_OK) return status;
  if (m == NULL) return rmj_fail(RMJ_EMUJOCO, "could not load model from XML text: %s", error);
  *out = m;
  return RMJ_OK;
}

int rmj_model_free(mjModel* m) {
  if (m != NULL) mj_deleteModel(m);
  return RMJ_OK;
}

int rmj_model_name(const mjModel* m, const char** name) {
  RMJ_REQUIRE(m != NULL && name != NULL, "rmj_model_name: NULL argument");
  /* The names buffer starts with the model's own name. */
  *name = m->nnames > 0 ? m->names : "";
  return RMJ_OK;
}

int rmj_model_count(const mjModel* m, int type, int* count) {
  RMJ_REQUIRE(m != NULL && count != NULL, "rmj_model_count: NULL argument");
  switch (type) {
    case mjOBJ_BODY: case mjOBJ_XBODY: *count = m->nbody; break;
    case mjOBJ_JOINT: *count = m->njnt; break;
    case mjOBJ_DOF: *count = m->nv; break;
    case mjOBJ_GEOM: *count = m->ngeom; break;
    case mjOBJ_SITE: *count = m->nsite; break;
    case mjOBJ_CAMERA: *count = m->ncam; break;
    case mjOBJ_LIGHT: *count = m->nlight; break;
    case mjOBJ_MESH: *count = m->nmesh; break;
    case mjOBJ_SKIN: *count = m->nskin; break;
    case mjOBJ_HFIELD: *count = m->nhfield; break;
    case mjOBJ_TEXTURE: *count = m->ntex; break;
    case mjOBJ_MATERIAL: *count = m->nmat; break;
    case mjOBJ_PAIR: *count = m->npair; break;
    case mjOBJ_EXCLUDE: *count = m->nexclude; break;
    case mjOBJ_EQUALITY: *count = m->neq; break;
    case mjOBJ_TENDON: *count = m->ntendon; break;
    case mjOBJ_ACTUATOR: *count = m->nu; break;
    case mjOBJ_SENSOR: *count = m->nsensor; break;
    case mjOBJ_NUMERIC: *count = m->nnumeric; break;
    case mjOBJ_TEXT: *count = m->ntext; break;
    case mjOBJ_TUPLE: *count = m->ntuple; break;
    case mjOBJ_KEY: *count = m->nkey; break;
    default: return rmj_fail(RMJ_EARGUMENT, "unknown MuJoCo object type %d", type);
  }
  return RMJ_OK;
}

int rmj_model_name2id(const mjModel* m, int type, const char* name, int* id) {
  RMJ_REQUIRE(m != NULL && name != NULL && id != NULL, "rmj_model_name2id: NULL argument");
  int count;
  int status = rmj_model_count(m, type, &count);
  if (status != RMJ_OK) return status;
  RMJ_GUARD(status, *id = mj_name2id(m, type, name));
  return status;
}

int rmj_model_id2name(const mjModel* m, int type, int id, const char** name) {
  RMJ_REQUIRE(m != NULL && name != NULL, "rmj_model_id2name: NULL argument");
  int count;
  int status = rmj_model_count(m, type, &count);
  if (status != RMJ_OK) return status;
  RMJ_REQUIRE(id >= 0 && id < count, "id %d is out of range [0, %d) for object type %d", id,
              count, type);
  RMJ_GUARD(status, *name = mj_id2name(m, type, id));
  return status;
}
