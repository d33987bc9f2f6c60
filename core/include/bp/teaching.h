// The duration bands of a lesson sheet (`didattica.duration_minutes`), the
// values of the "duration" facet. Their Italian labels are the `durations`
// list of taxonomy.yaml; the bounds live here because the index needs them.
#pragma once

#include <string>

namespace bp {

inline constexpr int kShortLessonMinutes = 120;  // "fino a 2 ore": one or two school hours
inline constexpr int kHalfDayMinutes = 240;      // "mezza giornata": one morning

// "fino-2-ore", "mezza-giornata" or "piu-incontri" (longer than a morning:
// several meetings); "" for 0 (no duration given).
inline std::string duration_band(int minutes) {
  if (minutes <= 0) return "";
  if (minutes <= kShortLessonMinutes) return "fino-2-ore";
  if (minutes <= kHalfDayMinutes) return "mezza-giornata";
  return "piu-incontri";
}

}  // namespace bp
