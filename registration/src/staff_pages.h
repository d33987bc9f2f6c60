// The staff back office's pages under /staff/ (issue 10): one route table
// (staff_pages.cc), one file per screen. Every route is built by the staff
// guard; handlers get the Principal and write the audit log through
// staff_actions.h.
#pragma once

#include "http_context.h"
#include "staff_actions.h"
#include "staff_view.h"

namespace bp::registration {

using StaffPage = void (*)(Context&, const Principal&, const Req&, Res&);

site::RouteTable staff_routes(Context& c);

// Screens (one file each).
void get_dashboard(Context& ctx, const Principal& who, const Req& req, Res& res);

// Answers an engine failure on a staff page: 404 page for NotFound, a
// message page with the reason for Invalid/Conflict, 503 otherwise.
void send_staff_error(Context& ctx, const Principal& who, Res& res, const Status& s);
// 303 to `location` (after a POST: the page shows the result).
void redirect(Res& res, const std::string& location);

}  // namespace bp::registration
