// The editors' screens for proposals in the staff back office
// (staff_proposals.cc): every route built by the staff guard for the editor
// and admin roles; the erasure of a proposer's data for admins only.
#pragma once

#include "http_context.h"

namespace bp::registration {

site::RouteTable proposal_staff_routes(Context& c);

void get_staff_proposals(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_staff_proposal(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_staff_proposal_image(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_staff_proposal_edit(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_staff_proposal_decision(Context& ctx, const Principal& who, const Req& req, Res& res);
// «Cancella i dati di chi ha proposto», with the typed CANCELLA.
void post_staff_proposal_erase(Context& ctx, const Principal& who, const Req& req, Res& res);

}  // namespace bp::registration
