/* kinematics.c — Jacobians and contacts: read-only queries on a forwarded mjData. */
#include <string.h>

#include "error.h"

int rmj_jac_site(const mjModel* m, const mjData* d, int site, double* jacp, double* jacr) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_jac_site: NULL model or data");
  RMJ_REQUIRE(site >= 0 && site < m->nsite, "site id %d is out of range: the model has %d sites",
              site, m->nsite);
  int status;
  RMJ_GUARD(status, mj_jacSite(m, d, jacp, jacr, site));
  return status;
}

int rmj_jac_body(const mjModel* m, const mjData* d, int body, double* jacp, double* jacr) {
  RMJ_REQUIRE(m != NULL && d != NULL, "rmj_jac_body: NULL model or data");
  RMJ_REQUIRE(body >= 0 && body < m->nbody,
              "body id %d is out of range: the model has %d bodies", body, m->nbody);
  int status;
  RMJ_GUARD(status, mj_jacBody(m, d, jacp, jacr, body));
  return status;
}

int rmj_contact_get(const mjModel* m, const mjData* d, int index, rmj_contact* out) {
  RMJ_REQUIRE(m != NULL && d != NULL && out != NULL, "rmj_contact_get: NULL argument");
  RMJ_REQUIRE(index >= 0 && index < d->ncon,
              "contact index %d is out of range: there are %d contacts", index, d->ncon);
  const mjContact* c = d->contact + index;
  out->dist = c->dist;
  memcpy(out->pos, c->pos, sizeof out->pos);
  memcpy(out->frame, c->frame, sizeof out->frame);
  out->geom1 = c->geom1;
  out->geom2 = c->geom2;
  int status;
  RMJ_GUARD(status, mj_contactForce(m, d, index, out->force));
  return status;
}
