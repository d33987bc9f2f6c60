#include "bp/site/route.h"

namespace bp::site {

const char* method_name(Method method) { return method == Method::kGet ? "GET" : "POST"; }

}  // namespace bp::site
