// A QR code drawn as SVG on the server (libqrencode), so that a printed
// lesson sheet or collection carries its page's address for a phone camera,
// without JavaScript and without any request outside the site.
#pragma once

#include <string>
#include <string_view>

namespace bp::server {

// An <svg> element (no XML prolog) encoding `text` at error-correction level
// M, with a 4-module quiet zone, scaled by CSS; `label` becomes its
// accessible name (escaped here). Returns "" when libqrencode cannot encode
// the text (too long: more than about 2 KB).
std::string qr_svg(std::string_view text, std::string_view label);

}  // namespace bp::server
