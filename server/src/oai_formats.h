// The metadata formats of the OAI-PMH repository (oai.h), written inside
// a record's <metadata>.
#pragma once

#include "bp/records.h"
#include "oai.h"
#include "xml_writer.h"

namespace bp::server {

// Unqualified Dublin Core (oai_dc.xsd): title, creator (the organisation),
// publisher (the library), contributor (the funder), subject (theme labels,
// then tags), description (the summary), date, type, format, identifier (the
// page's URL), language, coverage (region label, city), rights (licence URL).
void write_oai_dc(XmlWriter& xml, const Record& record, const OaiConfig& config);

// "pratica" (web/oai/pratica.xsd, namespace kPraticaNamespace): the whole
// front matter, one element per field under its YAML name; lists repeat
// <item>, nested objects nest; null fields are left out.
void write_pratica(XmlWriter& xml, const Record& record, const OaiConfig& config);

}  // namespace bp::server
